/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Program entry: the kernel starts the thread here with sp set and x0 = the
 * boot info address. Zero .bss, call main(bootinfo), halt with its status.
 */
        .section .text.start, "ax"
        .global _start
_start:
        mov     x19, x0
        adrp    x0, __bss_start
        add     x0, x0, #:lo12:__bss_start
        adrp    x1, __bss_end
        add     x1, x1, #:lo12:__bss_end
1:      cmp     x0, x1
        b.hs    2f
        strb    wzr, [x0], #1
        b       1b
2:      mov     x0, x19
        bl      main
        bl      tessera_debug_halt
3:      b       3b
