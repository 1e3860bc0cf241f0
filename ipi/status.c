/* SPDX-License-Identifier: BSD-2-Clause */
/* Names for the library's status codes (include/ipi/status.h), for messages. */
#include <ipi/status.h>

const char *ipi_strerror(int status)
{
        switch (status) {
        case IPI_OK: return "ok";
        case IPI_ERR_EMPTY: return "empty";
        case IPI_ERR_FULL: return "full";
        case IPI_ERR_CORRUPT: return "shared memory corrupt";
        case IPI_ERR_TOO_BIG: return "message too big";
        case IPI_ERR_BAD_ARG: return "bad argument";
        case IPI_ERR_TIMEOUT: return "timed out";
        case IPI_ERR_PEER: return "peer not attached or restarted";
        case IPI_ERR_WAKE: return "wake operation failed";
        case IPI_ERR_NO_CHANNEL: return "no such channel for this core";
        default: return "unknown status";
        }
}
