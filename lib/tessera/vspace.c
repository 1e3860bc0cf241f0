/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VSpace invocation stubs (vspace.h), on top of tessera_invoke; GetAddress
 * makes its own call because its answer comes back in MR0.
 */
#include <tessera/invocations.h>
#include <tessera/syscall.h>
#include "invoke.h"
#include "vspace.h"

int tessera_frame_map(uint64_t frame, uint64_t vspace, uint64_t vaddr, unsigned rights,
                      unsigned attrs)
{
        uint64_t mrs[] = { vaddr, rights, attrs };

        return tessera_invoke(frame, TESSERA_INV_FRAME_MAP, mrs, 3, &vspace, 1);
}

int tessera_frame_unmap(uint64_t frame)
{
        return tessera_invoke(frame, TESSERA_INV_FRAME_UNMAP, 0, 0, 0, 0);
}

int tessera_frame_get_address(uint64_t frame, uint64_t *paddr)
{
        struct tessera_msg m = { .info = tessera_msg_info(TESSERA_INV_FRAME_GET_ADDRESS, 0, 0) };
        int status;

        tessera_syscall(TESSERA_SYS_CALL, frame, &m);
        status = (int)tessera_msg_label(m.info);
        if (status == 0)
                *paddr = m.mr[0];
        return status;
}

int tessera_page_table_map(uint64_t table, uint64_t vspace, uint64_t vaddr)
{
        return tessera_invoke(table, TESSERA_INV_PAGE_TABLE_MAP, &vaddr, 1, &vspace, 1);
}

int tessera_page_table_unmap(uint64_t table)
{
        return tessera_invoke(table, TESSERA_INV_PAGE_TABLE_UNMAP, 0, 0, 0, 0);
}

int tessera_asid_assign(uint64_t asid_control, uint64_t vspace)
{
        return tessera_invoke(asid_control, TESSERA_INV_VSPACE_ASSIGN_ASID, 0, 0, &vspace, 1);
}
