/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The 16 exception vectors. Every entry saves the whole register file as a
 * struct trap_frame (trap.h; offsets checked there) on the kernel stack and
 * calls arch_trap(vector index, frame); on return it restores the frame and
 * erets, so a handler may change where and how execution resumes.
 */
#include <arch/layout.h>

#define SYS_CALL        1       /* TESSERA_SYS_CALL, checked in fastpath.c */
#define SYS_REPLY_RECV  2       /* TESSERA_SYS_REPLY_RECV */

.macro vector idx
        .balign 0x80
        sub     sp, sp, #TRAP_FRAME_SIZE
        stp     x0, x1, [sp, #0]
        mov     x0, #\idx
        b       trap_common
.endm

/* From EL0, SP_EL1 points just past the running thread's saved context (set
 * when the kernel last returned to it), so the frame lands in its TCB. */
.macro vector_user_sync
        .balign 0x80
        sub     sp, sp, #TRAP_FRAME_SIZE
        stp     x0, x1, [sp, #0]
        b       user_sync_common
.endm

.macro vector_user idx
        .balign 0x80
        sub     sp, sp, #TRAP_FRAME_SIZE
        stp     x0, x1, [sp, #0]
        mov     x0, #\idx
        b       user_trap_common
.endm

        .section .text.vectors, "ax"
        .balign 2048
        .global exception_vectors
exception_vectors:
        vector 0        /* current EL, SP_EL0: sync */
        vector 1        /*                      irq  */
        vector 2        /*                      fiq  */
        vector 3        /*                      serror */
        vector 4        /* current EL, SP_ELx: sync */
        vector 5        /*                      irq  */
        vector 6        /*                      fiq  */
        vector 7        /*                      serror */
        vector_user_sync     /* lower EL, AArch64:  sync (vector 8) */
        vector_user 9        /*                      irq  */
        vector_user 10       /*                      fiq  */
        vector_user 11       /*                      serror */
        vector_user 12       /* lower EL, AArch32:  sync */
        vector_user 13       /*                      irq  */
        vector_user 14       /*                      fiq  */
        vector_user 15       /*                      serror */

.macro save_rest
        stp     x2, x3, [sp, #16]
        stp     x4, x5, [sp, #32]
        stp     x6, x7, [sp, #48]
        stp     x8, x9, [sp, #64]
        stp     x10, x11, [sp, #80]
        stp     x12, x13, [sp, #96]
        stp     x14, x15, [sp, #112]
        stp     x16, x17, [sp, #128]
        stp     x18, x19, [sp, #144]
        stp     x20, x21, [sp, #160]
        stp     x22, x23, [sp, #176]
        stp     x24, x25, [sp, #192]
        stp     x26, x27, [sp, #208]
        stp     x28, x29, [sp, #224]
        mrs     x2, elr_el1
        stp     x30, x2, [sp, #240]
        mrs     x3, spsr_el1
        mrs     x4, sp_el0
        stp     x3, x4, [sp, #256]
.endm

trap_common:
        save_rest
        mov     x1, sp
        bl      arch_trap
        b       restore_context

/* A Call or ReplyRecv first meets the IPC fast path (kernel/fastpath.c),
 * which answers the context to resume, or 0 to go the general way. x19
 * keeps the thread's context across the call: its own x19 is saved
 * already. x7 still holds the system call number. */
user_sync_common:
        save_rest
        mrs     x2, esr_el1
        lsr     x2, x2, #26
        cmp     x2, #0x15               /* EC: SVC from AArch64 */
        b.ne    1f
        mov     x19, sp
        ldr     x2, =boot_stack_top
        mov     sp, x2
        adrp    x2, fastpath_enabled
        ldrb    w2, [x2, :lo12:fastpath_enabled]
        cbz     w2, 2f
        mov     x0, x19
        cmp     x7, #SYS_CALL
        b.eq    3f
        cmp     x7, #SYS_REPLY_RECV
        b.ne    2f
        bl      fastpath_reply_recv
        b       4f
3:      bl      fastpath_call
4:      cbz     x0, 2f
        mov     sp, x0
        b       restore_context
2:      mov     x1, x19
        mov     x0, #8
        bl      arch_trap_user
        mov     sp, x0
        b       restore_context
1:      mov     x0, #8
        b       user_trap_saved

user_trap_common:
        save_rest
user_trap_saved:
        mov     x1, sp                  /* the thread's context */
        ldr     x2, =boot_stack_top     /* one kernel stack, fresh for every event */
        mov     sp, x2
        bl      arch_trap_user          /* returns the context to resume */
        mov     sp, x0
        b       restore_context

/* arch_resume_user(context): leave the kernel for a thread; never returns. */
        .global arch_resume_user
arch_resume_user:
        mov     sp, x0

restore_context:
        ldp     x3, x4, [sp, #256]
        msr     spsr_el1, x3
        msr     sp_el0, x4
        ldp     x30, x2, [sp, #240]
        msr     elr_el1, x2
        ldp     x0, x1, [sp, #0]
        ldp     x2, x3, [sp, #16]
        ldp     x4, x5, [sp, #32]
        ldp     x6, x7, [sp, #48]
        ldp     x8, x9, [sp, #64]
        ldp     x10, x11, [sp, #80]
        ldp     x12, x13, [sp, #96]
        ldp     x14, x15, [sp, #112]
        ldp     x16, x17, [sp, #128]
        ldp     x18, x19, [sp, #144]
        ldp     x20, x21, [sp, #160]
        ldp     x22, x23, [sp, #176]
        ldp     x24, x25, [sp, #192]
        ldp     x26, x27, [sp, #208]
        ldp     x28, x29, [sp, #224]
        add     sp, sp, #TRAP_FRAME_SIZE
        eret

        .ltorg
