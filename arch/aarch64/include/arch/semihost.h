/* SPDX-License-Identifier: BSD-2-Clause */
/* Arm semihosting: end the emulated system with a status (see semihost.c). */
#ifndef ARCH_SEMIHOST_H
#define ARCH_SEMIHOST_H

void semihost_exit(int status);

#endif
