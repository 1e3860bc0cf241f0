/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PL011 transmit-only console. QEMU's UART needs no baud setup; writing the
 * data register while the FIFO has room is enough.
 */
#include <stdbool.h>
#include <arch/arch.h>
#include <arch/sysreg.h>
#include <plat/board.h>
#include <plat/plat.h>

#define UART_DR          0x00
#define UART_FR          0x18
#define UART_FR_TXFF     (1u << 5)

/* How long a core waits for the line lock before it prints anyway, in
 * counter time (a core that died holding it must not silence the others).
 * Time, not a spin count: under multi-threaded TCG the host may deschedule
 * the holder's vCPU for many milliseconds, and a count ran out then. */
#define LINE_LOCK_PATIENCE_DIVISOR 2u   /* half a second */

static uintptr_t uart;
static volatile uint64_t *line_lock;

void plat_console_init(void)
{
        uart = arch_map_device(BOARD_UART_PA, 0x1000);
}

static void uart_putc(char c)
{
        while (mmio_read32(uart + UART_FR) & UART_FR_TXFF)
                ;
        mmio_write32(uart + UART_DR, (uint8_t)c);
}

void plat_console_share(volatile uint64_t *lock)
{
        line_lock = lock;
}

/* The console line lock: the one word besides the IPI inboxes that kernels
 * share (debug console only). Taken with an atomic exchange, released with a
 * store-release. */
static bool line_lock_take(void)
{
        uint64_t give_up = 0;

        for (;;) {
                if (__atomic_exchange_n(line_lock, 1, __ATOMIC_ACQUIRE) == 0)
                        return true;
                while (__atomic_load_n(line_lock, __ATOMIC_RELAXED)) {
                        uint64_t now = arch_counter_now();

                        if (!give_up)
                                give_up = now + arch_counter_freq() / LINE_LOCK_PATIENCE_DIVISOR;
                        else if (now > give_up)
                                return false;
                }
        }
}

void plat_console_write(const char *s, size_t len)
{
        bool locked;

        if (!uart)
                return;
        locked = line_lock && line_lock_take();
        for (size_t i = 0; i < len; i++) {
                if (s[i] == '\n')
                        uart_putc('\r');
                uart_putc(s[i]);
        }
        if (locked)
                __atomic_store_n(line_lock, 0, __ATOMIC_RELEASE);
}
