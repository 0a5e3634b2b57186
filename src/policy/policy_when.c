/* SPDX-License-Identifier: Apache-2.0 */
/* placeholder while the module is written */
typedef int yb__placeholder_t;
