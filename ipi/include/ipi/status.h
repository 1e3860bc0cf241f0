/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The cross-core channel library's status codes: 0 for success, a negative
 * value for each way a call can fail. Every function of ring.h and channel.h
 * that returns int returns one of these; ipi_strerror names them.
 */
#ifndef IPI_STATUS_H
#define IPI_STATUS_H

enum ipi_status {
        IPI_OK = 0,
        IPI_ERR_EMPTY = -1,     /* nothing to read */
        IPI_ERR_FULL = -2,      /* no room to write */
        IPI_ERR_CORRUPT = -3,   /* the shared memory broke a rule; sticky per ring */
        IPI_ERR_TOO_BIG = -4,   /* message longer than the ring allows, or buffer too small */
        IPI_ERR_BAD_ARG = -5,
        IPI_ERR_TIMEOUT = -6,
        IPI_ERR_PEER = -7,      /* peer not attached, kind mismatch, or restarted */
        IPI_ERR_WAKE = -8,      /* the wake ops (signal or wait) failed */
        IPI_ERR_NO_CHANNEL = -9,/* the spec gives this core no such channel */
};

/* A constant string naming `status` ("unknown status" for other values). */
const char *ipi_strerror(int status);

#endif
