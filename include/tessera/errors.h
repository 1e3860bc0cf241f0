/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The single error enum of the Tessera ABI. 0 is success; every system call
 * and invocation that fails returns exactly one of these in x6 (and, for an
 * object invocation, also as the reply's label with length 0; see
 * syscalls.h), so user code can switch on it.
 */
#ifndef TESSERA_ERRORS_H
#define TESSERA_ERRORS_H

enum tessera_error {
        TESSERA_OK = 0,
        TESSERA_ERR_INVALID_ARGUMENT = 1,   /* an argument is out of its domain */
        TESSERA_ERR_INVALID_CAPABILITY = 2, /* a cap is of the wrong type for this use */
        TESSERA_ERR_ILLEGAL_OPERATION = 3,  /* the object cannot do this (now) */
        TESSERA_ERR_RANGE = 4,              /* a number is outside the allowed range */
        TESSERA_ERR_ALIGNMENT = 5,          /* an address or size is misaligned */
        TESSERA_ERR_FAILED_LOOKUP = 6,      /* a cap address does not resolve */
        TESSERA_ERR_TRUNCATED_MESSAGE = 7,  /* too few message registers for the call */
        TESSERA_ERR_DELETE_FIRST = 8,       /* the destination slot is not empty */
        TESSERA_ERR_REVOKE_FIRST = 9,       /* the object still has children */
        TESSERA_ERR_NOT_ENOUGH_MEMORY = 10, /* the untyped has no room left */
        TESSERA_ERR_INSUFFICIENT_RIGHTS = 11,/* the cap lacks a right the call needs */
        TESSERA_ERR_MAPPING = 12,           /* already mapped, or mapped elsewhere */
        TESSERA_ERR_NOT_MAPPED = 13,        /* nothing is mapped there */
        TESSERA_ERR_UNKNOWN_SYSCALL = 14,   /* no such system call number */
        TESSERA_ERR_WOULD_BLOCK = 15,       /* NBSend, NBRecv, Poll: no partner, nothing pending */
        TESSERA_ERR_NO_REPLY = 16,          /* a Call's reply capability was discarded unused */
        TESSERA_ERR_COUNT
};

#endif
