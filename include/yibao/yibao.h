/* SPDX-License-Identifier: Apache-2.0 */
/* yibao: the public headers in one include. */
#ifndef YIBAO_H
#define YIBAO_H

#include "arena.h"
#include "codec.h"
#include "csv.h"
#include "date.h"
#include "dict.h"
#include "engine.h"
#include "err.h"
#include "event.h"
#include "financing.h"
#include "idcard.h"
#include "json.h"
#include "ledger.h"
#include "money.h"
#include "policy.h"
#include "region.h"
#include "store.h"
#include "text.h"

#define YB_VERSION "0.1.0"

#endif
