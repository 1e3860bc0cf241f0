/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Partitioner entry. QEMU loads partitioner.elf as the -kernel ELF at its link
 * address and starts core 0 here, at EL1 or EL2, MMU off, with the device tree
 * at the start of RAM. Set up a stack, zero .bss, run partitioner_main.
 */
        .section .text.start, "ax"
        .global _start
_start:
        msr     daifset, #0xf
        adrp    x0, __bss_start
        add     x0, x0, #:lo12:__bss_start
        adrp    x1, __bss_end
        add     x1, x1, #:lo12:__bss_end
1:      cmp     x0, x1
        b.hs    2f
        stp     xzr, xzr, [x0], #16
        b       1b
2:      adrp    x0, partitioner_stack_top
        add     x0, x0, #:lo12:partitioner_stack_top
        mov     sp, x0
        bl      partitioner_main
3:      wfe
        b       3b

/* jump_to_kernel(entry, boot_arg): clean up after the copy and enter the image. */
        .global jump_to_kernel
jump_to_kernel:
        mov     x2, x0
        mov     x0, x1
        dsb     sy
        ic      iallu
        dsb     sy
        isb
        br      x2

        .section .bss, "aw", %nobits
        .balign 16
partitioner_stack:
        .space  0x4000
partitioner_stack_top:
