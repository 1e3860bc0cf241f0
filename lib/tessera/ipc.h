/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPC and notification system calls (include/tessera/syscalls.h). Each
 * returns the status of the call itself: TESSERA_OK, an enum tessera_error,
 * or for the receiving calls TESSERA_RECV_SIGNALLED when the thread's bound
 * notification ended the wait (m->badge then holds its word).
 *
 * A message is m->info (tessera_msg_info(label, caps, length)), m->mr[0..3]
 * in registers, further message registers in tessera_ipc->mr[4..], extra
 * caps' addresses in tessera_ipc->caps[]. On return m holds what was
 * received: the sender's badge, its info word and registers.
 */
#ifndef LIB_TESSERA_IPC_H
#define LIB_TESSERA_IPC_H

#include <stdint.h>
#include <tessera/errors.h>
#include <tessera/syscall.h>

static inline int tessera_send(uint64_t ep, struct tessera_msg *m)
{
        return (int)tessera_syscall(TESSERA_SYS_SEND, ep, m);
}

static inline int tessera_nb_send(uint64_t ep, struct tessera_msg *m)
{
        return (int)tessera_syscall(TESSERA_SYS_NB_SEND, ep, m);
}

/* Send, then wait for the reply, which overwrites *m. */
static inline int tessera_call(uint64_t ep, struct tessera_msg *m)
{
        return (int)tessera_syscall(TESSERA_SYS_CALL, ep, m);
}

static inline int tessera_recv(uint64_t ep, struct tessera_msg *m)
{
        return (int)tessera_syscall(TESSERA_SYS_RECV, ep, m);
}

static inline int tessera_nb_recv(uint64_t ep, struct tessera_msg *m)
{
        return (int)tessera_syscall(TESSERA_SYS_NB_RECV, ep, m);
}

/* Answer the Call this thread received last (its reply capability). */
static inline int tessera_reply(struct tessera_msg *m)
{
        return (int)tessera_syscall(TESSERA_SYS_REPLY, 0, m);
}

/* Reply with *m, then wait on ep; *m becomes the next message. */
static inline int tessera_reply_recv(uint64_t ep, struct tessera_msg *m)
{
        return (int)tessera_syscall(TESSERA_SYS_REPLY_RECV, ep, m);
}

static inline int tessera_signal(uint64_t ntfn)
{
        struct tessera_msg m = { 0 };

        return (int)tessera_syscall(TESSERA_SYS_SIGNAL, ntfn, &m);
}

/* Blocks until the word is non-zero (or an unbadged signal came); *word gets it. */
static inline int tessera_wait(uint64_t ntfn, uint64_t *word)
{
        struct tessera_msg m = { 0 };
        int st = (int)tessera_syscall(TESSERA_SYS_WAIT, ntfn, &m);

        *word = m.badge;
        return st;
}

/* Never blocks: TESSERA_ERR_WOULD_BLOCK when nothing was signalled. */
static inline int tessera_poll(uint64_t ntfn, uint64_t *word)
{
        struct tessera_msg m = { 0 };
        int st = (int)tessera_syscall(TESSERA_SYS_POLL, ntfn, &m);

        *word = m.badge;
        return st;
}

#endif
