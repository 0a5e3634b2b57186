/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: yb_policy_parse on arbitrary bytes. A policy file comes
 * from outside (an agency edits it by hand), so no input may crash the
 * loader, read out of bounds, leak, or overflow; the only outcomes are a
 * policy or an error report. On success the policy's header invariants
 * are checked too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "yibao/yibao.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct yb_policy *p = NULL;
    struct yb_err e;
    int rc;

    yb_err_clear(&e);
    rc = yb_policy_parse((const char *)data, size, &p, &e);
    if (rc == YB_OK) {
        if (p == NULL || p->valid_to < p->valid_from || p->n_layers < 0)
            abort();
    } else if (p != NULL || e.code != rc || strlen(e.msg) >= sizeof e.msg) {
        abort();
    }
    yb_policy_free(p);
    return 0;
}
