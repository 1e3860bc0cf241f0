/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PL011 transmit-only console. QEMU's UART needs no baud setup; writing the
 * data register while the FIFO has room is enough.
 */
#include <arch/arch.h>
#include <arch/sysreg.h>
#include <plat/board.h>
#include <plat/plat.h>

#define UART_DR          0x00
#define UART_FR          0x18
#define UART_FR_TXFF     (1u << 5)

static uintptr_t uart;

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

void plat_console_write(const char *s, size_t len)
{
        if (!uart)
                return;
        for (size_t i = 0; i < len; i++) {
                if (s[i] == '\n')
                        uart_putc('\r');
                uart_putc(s[i]);
        }
}
