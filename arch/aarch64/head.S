/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel entry. The loader (the partitioner) copies the same image to a
 * different 2 MiB-aligned physical base on every core and branches to its first
 * byte with x0 = physical address of the boot argument (a device tree when the
 * kernel is booted alone, the boot info when the partitioner started it).
 *
 * Everything up to the `br` to el1_high runs at the physical address with the
 * MMU off, so it uses only PC-relative addressing (adr/adrp) and never an
 * absolute symbol value. It drops from EL2 to EL1 if needed, zeroes .bss
 * (which holds the page tables and the boot stack), maps the image's 2 MiB
 * blocks at KERNEL_VBASE in TTBR1 plus an identity map of the surrounding
 * 1 GiB in TTBR0 (so the instruction after enabling the MMU still fetches),
 * enables the MMU and caches and jumps to the linked high address.
 *
 * Register use until kernel_main: x19 boot argument, x20 entry EL, x21 phys base.
 */
#include <arch/layout.h>

.macro mov_imm reg, val
        movz    \reg, #((\val) & 0xffff)
        movk    \reg, #(((\val) >> 16) & 0xffff), lsl #16
        movk    \reg, #(((\val) >> 32) & 0xffff), lsl #32
        movk    \reg, #(((\val) >> 48) & 0xffff), lsl #48
.endm

.macro adr_far reg, sym
        adrp    \reg, \sym
        add     \reg, \reg, #:lo12:\sym
.endm

        .section .text.head, "ax"
        .global _start
_start:
        mov     x19, x0
        mrs     x20, CurrentEL
        ubfx    x20, x20, #2, #2
        cmp     x20, #2
        b.eq    el2_to_el1
        cmp     x20, #1
        b.eq    el1_start
        b       park                    /* EL3 (secure=on) is not supported */

/* Entered at EL2 (virtualization=on): give EL1 the timer, the counter, the FPU
 * and the GIC system registers, then drop to EL1h with interrupts masked. */
el2_to_el1:
        mov     x0, #(1 << 31)          /* HCR_EL2.RW: EL1 is AArch64; no stage 2 */
        msr     hcr_el2, x0
        mov     x0, #3                  /* CNTHCTL_EL2: EL1PCTEN | EL1PCEN */
        msr     cnthctl_el2, x0
        msr     cntvoff_el2, xzr
        mov     x0, #0x33ff             /* CPTR_EL2: RES1 bits only, nothing trapped */
        msr     cptr_el2, x0
        msr     hstr_el2, xzr
        mrs     x0, id_aa64pfr0_el1
        ubfx    x0, x0, #24, #4         /* GIC system-register interface present? */
        cbz     x0, 1f
        mov     x0, #0xf                /* ICC_SRE_EL2: SRE, DFB, DIB, Enable */
        msr     S3_4_C12_C9_5, x0
        isb
1:      mov_imm x0, SCTLR_EL1_RES1
        msr     sctlr_el1, x0
        mov     x0, #0x3c5              /* SPSR: EL1h, D A I F masked */
        msr     spsr_el2, x0
        adr     x0, el1_start
        msr     elr_el2, x0
        eret

el1_start:
        msr     daifset, #0xf
        mov_imm x0, SCTLR_EL1_RES1      /* MMU and caches off, whatever we came with */
        msr     sctlr_el1, x0
        isb
        adr_far x21, _start
        tst     x21, #(BLOCK_SIZE - 1)  /* the window is built of 2 MiB blocks */
        b.ne    park

        adr_far x0, __bss_start         /* zero .bss: page tables, stack, data */
        adr_far x1, __bss_end
2:      cmp     x0, x1
        b.hs    3f
        stp     xzr, xzr, [x0], #16
        b       2b

3:      /* TTBR0: identity-map the 1 GiB containing the image (L1 block). */
        adr_far x0, boot_l1_identity
        lsr     x1, x21, #30
        and     x1, x1, #0x1ff
        lsl     x2, x1, #30
        mov_imm x3, BLOCK_KERNEL_RWX
        orr     x2, x2, x3
        str     x2, [x0, x1, lsl #3]

        /* TTBR1: L1[0] -> first window L2; the image's 2 MiB blocks in it. */
        adr_far x0, kernel_l1
        adr_far x1, kernel_l2_window
        orr     x2, x1, #DESC_TABLE
        str     x2, [x0]
        adr_far x3, __kernel_end
        sub     x3, x3, x21
        mov_imm x6, (BLOCK_SIZE - 1)
        add     x3, x3, x6
        lsr     x3, x3, #21             /* blocks covering image + .bss */
        mov_imm x4, BLOCK_KERNEL_RWX
        orr     x4, x4, x21
        mov     x5, #0
4:      str     x4, [x1, x5, lsl #3]
        add     x4, x4, #(BLOCK_SIZE >> 12), lsl #12
        add     x5, x5, #1
        cmp     x5, x3
        b.lo    4b

        /* The tables were written with the MMU off: drop any stale cached copy. */
        adr_far x0, __bss_start
        adr_far x1, __bss_end
        bl      dcache_invalidate_range

        mov_imm x0, MAIR_VALUE
        msr     mair_el1, x0
        mov_imm x0, TCR_VALUE
        mrs     x1, id_aa64mmfr0_el1
        and     x1, x1, #7
        bfi     x0, x1, #32, #3         /* IPS = PARange */
        msr     tcr_el1, x0
        adr_far x0, boot_l1_identity
        msr     ttbr0_el1, x0
        adr_far x0, kernel_l1
        msr     ttbr1_el1, x0
        isb
        tlbi    vmalle1
        dsb     nsh
        isb
        mov_imm x0, SCTLR_EL1_MMU_ON
        msr     sctlr_el1, x0
        isb
        ic      iallu
        dsb     nsh
        isb
        ldr     x0, =el1_high           /* absolute: the linked high address */
        br      x0

el1_high:
        ldr     x0, =boot_stack_top
        mov     sp, x0
        ldr     x0, =exception_vectors
        msr     vbar_el1, x0
        isb
        mov     x0, x19
        mov     x1, x21
        mov     x2, x20
        bl      kernel_main
park:
        wfe
        b       park

/* dcache_invalidate_range(start, end): invalidate by VA to the point of coherency. */
dcache_invalidate_range:
        mrs     x3, ctr_el0
        ubfx    x3, x3, #16, #4         /* DminLine: log2(words) */
        mov     x2, #4
        lsl     x2, x2, x3              /* line size in bytes */
        sub     x3, x2, #1
        bic     x0, x0, x3
5:      dc      ivac, x0
        add     x0, x0, x2
        cmp     x0, x1
        b.lo    5b
        dsb     sy
        ret

        .ltorg

/* Translation tables and the boot stack live in .bss, zeroed above. */
        .section .bss.pgtables, "aw", %nobits
        .balign PAGE_SIZE
        .global kernel_l1, kernel_l2_window, kernel_l2_device, kernel_l2_bootdata, boot_l1_identity
        .global kernel_l2_shared, kernel_l3_shared, kernel_l2_physmap
kernel_l1:              .space PAGE_SIZE
kernel_l2_window:       .space PAGE_SIZE * KERNEL_WINDOW_L2S
kernel_l2_device:       .space PAGE_SIZE
kernel_l2_bootdata:     .space PAGE_SIZE
kernel_l2_shared:       .space PAGE_SIZE
kernel_l3_shared:       .space PAGE_SIZE
kernel_l2_physmap:      .space PAGE_SIZE * PHYSMAP_L2S
boot_l1_identity:       .space PAGE_SIZE
        .balign 16
        .global boot_stack_top
boot_stack:             .space KERNEL_STACK_SIZE
boot_stack_top:
