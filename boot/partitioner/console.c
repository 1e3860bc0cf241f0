/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The partitioner's console: the PL011 at its physical address (the MMU is off,
 * so every access is a Device access; only aligned 32-bit writes are used).
 */
#include <stdarg.h>
#include <plat/board.h>
#include <kernel/string.h>
#include "partitioner.h"

#define UART_DR      0x00
#define UART_FR      0x18
#define UART_FR_TXFF (1u << 5)

static void console_putc(char c)
{
        volatile uint32_t *uart = (volatile uint32_t *)(uintptr_t)BOARD_UART_PA;

        while (uart[UART_FR / 4] & UART_FR_TXFF)
                ;
        uart[UART_DR / 4] = (uint8_t)c;
}

void pprintf(const char *fmt, ...)
{
        char line[256];
        va_list ap;

        va_start(ap, fmt);
        kvsnprintf(line, sizeof(line), fmt, ap);
        va_end(ap);
        for (const char *p = line; *p; p++) {
                if (*p == '\n')
                        console_putc('\r');
                console_putc(*p);
        }
}
