/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The household pass of the synthetic region. Each household is drawn
 * whole (a type — single, couple, parents with children, three
 * generations, grandparents with grandchildren, single parent — then ages
 * that fit together), placed in a county, township and village, given ID
 * numbers, names, school places, hardship identities and contribution
 * payments, and written at once with every member's visits, so nothing
 * but the ID-number set grows with the number of persons. Each household
 * draws from its own random stream (seed, household number), so the
 * people do not change when the visit model does.
 */
#include <stdlib.h>
#include <string.h>

#include "synth_int.h"
#include "yibao/dict.h"
#include "yibao/financing.h"
#include "yibao/idcard.h"
#include "yibao/policy.h"

/* China's age pyramid (2020 census shape), 5-year groups 0-4 … 95-99,
 * per mille: children fewer than the 30–59 bulge, 60+ about 18%. */
static const int pyramid[20] = {54, 64, 59, 51, 53, 65, 88, 70, 67, 81,
                                87, 72, 52, 50, 34, 22, 15, 8,  3,  1};

/* Household types and their weights (per mille of households). */
enum {
    HH_SINGLE,
    HH_COUPLE,
    HH_OLD_COUPLE,
    HH_NUCLEAR,
    HH_THREE,
    HH_SKIP,
    HH_PARENT
};
static const int hh_weights[7] = {170, 140, 80, 290, 170, 70, 50};

/* National minimum individual contribution, yuan (docs/financing.md); synthetic
 * payments only: a real region's amounts come from its policy. */
static const int contribution[] = {150, 180, 220, 250, 280,
                                   320, 350, 380, 400, 400};

static int draw_age(struct yb__rng *r, int lo, int hi)
{
    int64_t total = 0, at;

    for (int a = lo; a <= hi; a++)
        total += pyramid[a / 5];
    at = (int64_t)yb__rng_below(r, (uint32_t)total);
    for (int a = lo; a <= hi; a++) {
        if (at < pyramid[a / 5])
            return a;
        at -= pyramid[a / 5];
    }
    return hi;
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* A member aged `age` full years on Y-01-01: born between (Y-1-age)-01-02
 * and (Y-age)-01-01. */
static struct yb__person *add(struct yb__household *h, int year, int gend,
                              int age, int rel, struct yb__rng *r)
{
    struct yb__person *p = &h->m[h->n++];
    int by = year - 1 - age;

    memset(p, 0, sizeof *p);
    p->gend = gend;
    p->age = age;
    p->rel = rel;
    p->school = -1;
    p->birth = yb_date_from_ymd(by, 1, 2) +
               (int)yb__rng_below(r, yb_date_is_leap(by) ? 366 : 365);
    return p;
}

static int child_rel(int gend)
{
    return gend == 1 ? 20 : 30;
}

/* Husband and wife; returns the wife's age. The head is the husband four
 * times in five. */
static int add_couple(struct yb__household *h, int year, int husband_age,
                      struct yb__rng *r)
{
    int wife_age = clamp(husband_age - yb__rng_range(r, -1, 5), 18, 99);

    if (yb__rng_chance(r, 8000)) {
        add(h, year, 1, husband_age, 2, r);
        add(h, year, 2, wife_age, 12, r);
    } else {
        add(h, year, 2, wife_age, 2, r);
        add(h, year, 1, husband_age, 11, r);
    }
    return wife_age;
}

static void add_children(struct yb__household *h, int year, int mother_age,
                         int n, struct yb__rng *r)
{
    for (int i = 0; i < n && h->n < 6; i++) {
        int age = mother_age - yb__rng_range(r, 20, 38);
        int g = yb__rng_chance(r, 5150) ? 1 : 2;

        if (age >= 0)
            add(h, year, g, age, child_rel(g), r);
    }
}

/* A child born during Y; the mother gets the delivery. */
static void maybe_newborn(struct yb__household *h, int year, int wife_age,
                          struct yb__rng *r)
{
    struct yb__person *mother = NULL, *baby;
    int g;

    if (wife_age < 20 || wife_age > 40 || h->n >= 6 || !yb__rng_chance(r, 1100))
        return;
    for (int i = 0; i < h->n && mother == NULL; i++)
        if (h->m[i].gend == 2 && (h->m[i].rel == 2 || h->m[i].rel == 12))
            mother = &h->m[i];
    if (mother == NULL)
        return;
    g = yb__rng_chance(r, 5150) ? 1 : 2;
    baby = add(h, year, g, 0, child_rel(g), r);
    baby->birth = yb_date_from_ymd(year, 1, 1) + (int)yb__rng_below(r, 358);
    baby->newborn = true;
    mother->deliver = baby->birth;
    mother->matn_type = yb__rng_chance(r, 4000) ? 2 : 1;
}

static void build_members(struct yb__household *h, int year, struct yb__rng *r)
{
    int type = yb__rng_weighted(r, hh_weights, 7), a, wife;

    switch (type) {
    case HH_SINGLE:
        /* half of those living alone are old; widows outnumber widowers */
        a = yb__rng_chance(r, 4500) ? draw_age(r, 60, 99) : draw_age(r, 18, 59);
        add(h, year,
            a >= 70 ? (yb__rng_chance(r, 6500) ? 2 : 1)
                    : 1 + (int)yb__rng_below(r, 2),
            a, 2, r);
        break;
    case HH_COUPLE:
        add_couple(h, year, draw_age(r, 20, 59), r);
        break;
    case HH_OLD_COUPLE:
        add_couple(h, year, draw_age(r, 60, 95), r);
        break;
    case HH_NUCLEAR:
        wife = add_couple(h, year, draw_age(r, 24, 60), r);
        add_children(h, year, wife,
                     yb__rng_weighted(r, (const int[]){0, 45, 45, 10}, 4), r);
        maybe_newborn(h, year, wife, r);
        break;
    case HH_THREE:
        a = draw_age(r, 26, 55);
        wife = add_couple(h, year, a, r);
        add_children(h, year, wife, 1 + (int)yb__rng_below(r, 2), r);
        a = h->m[0].age;
        if (yb__rng_chance(r, 6000))
            add(h, year, 1, clamp(a + yb__rng_range(r, 22, 32), 0, 99), 51, r);
        add(h, year, 2, clamp(a + yb__rng_range(r, 20, 30), 0, 99), 52, r);
        maybe_newborn(h, year, wife, r);
        break;
    case HH_SKIP:
        a = draw_age(r, 55, 80);
        add(h, year, 1, a, 2, r);
        if (yb__rng_chance(r, 7000))
            add(h, year, 2, clamp(a - yb__rng_range(r, 0, 4), 50, 99), 12, r);
        for (int i = 0, n = 1 + (int)yb__rng_below(r, 2); i < n; i++) {
            int g = yb__rng_chance(r, 5150) ? 1 : 2;

            add(h, year, g, yb__rng_range(r, 0, 15), g == 1 ? 41 : 42, r);
        }
        break;
    default:
        a = draw_age(r, 25, 55);
        add(h, year, yb__rng_chance(r, 7000) ? 2 : 1, a, 2, r);
        add_children(h, year, a, 1 + (int)yb__rng_below(r, 2), r);
        break;
    }
}

static bool has_husband(const struct yb__household *h)
{
    for (int i = 0; i < h->n; i++)
        if (h->m[i].rel == 11)
            return true;
    return false;
}

/* Names and ethnicity: children take the husband's surname, wives and the
 * head's mother keep their own; the household shares an ethnicity except
 * for some spouses. */
static void name_members(struct yb__household *h, int pp, struct yb__rng *r)
{
    const char *family = yb__synth_surname(r), *head_surname = family;
    const char *base = yb__synth_naty(r, pp);
    char given[32];

    if (h->m[0].gend == 2 && has_husband(h))
        head_surname = yb__synth_surname(r);
    for (int i = 0; i < h->n; i++) {
        struct yb__person *p = &h->m[i];
        const char *s;
        int by;

        switch (p->rel) {
        case 2:
            s = head_surname;
            break;
        case 12:
        case 52:
            s = yb__synth_surname(r);
            break;
        case 51:
            s = head_surname;
            break;
        default:
            s = family;
            break;
        }
        yb_date_to_ymd(p->birth, &by, &(int){0}, &(int){0});
        yb__synth_given(r, p->gend, by, given, sizeof given);
        snprintf(p->name, sizeof p->name, "%s%s", s, given);
        p->naty = (p->rel == 11 || p->rel == 12) && yb__rng_chance(r, 1500)
                      ? yb__synth_naty(r, pp)
                      : base;
    }
}

static uint64_t id_key(const char *first17)
{
    uint64_t k = 0;

    for (int i = 0; i < 17; i++)
        k = k * 10 + (uint64_t)(first17[i] - '0');
    return k + 1; /* 0 marks an empty slot */
}

/* Insert key; false when it was there already. */
static bool id_insert(struct yb__world *w, uint64_t key)
{
    uint64_t i = (key * UINT64_C(0x9E3779B97F4A7C15)) >> 20 & w->id_mask;

    while (w->ids[i] != 0) {
        if (w->ids[i] == key)
            return false;
        i = (i + 1) & w->id_mask;
    }
    w->ids[i] = key;
    return true;
}

/* A unique GB 11643 number: place prefix, birth date, a sequence number
 * whose last digit is odd for men and even for women, check character. */
static int assign_certno(struct yb__world *w, const char *prefix,
                         struct yb__person *p, struct yb__rng *r,
                         struct yb_err *e)
{
    int y, m, d;

    yb_date_to_ymd(p->birth, &y, &m, &d);
    for (int attempt = 0; attempt < 200; attempt++) {
        int seq = (int)yb__rng_below(r, 500) * 2 + (p->gend == 1);

        snprintf(p->certno, sizeof p->certno, "%.6s%04d%02d%02d%03d", prefix, y,
                 m, d, seq);
        if (id_insert(w, id_key(p->certno))) {
            p->certno[17] = yb_idcard_check_char(p->certno);
            p->certno[18] = '\0';
            return YB_OK;
        }
    }
    return yb_err_set(e, YB_EINVAL, "persons",
                      "地区 %.6s 出生于 %04d-%02d-%02d 的证件顺序号已用完 (no "
                      "free ID sequence number)",
                      prefix, y, m, d);
}

/* School places and person types (psn_type) for the coverage year: ages
 * for school are counted on 1 September of Y-1, when the school year that
 * collects the contributions begins. */
static void classify(struct yb__world *w, struct yb__household *h,
                     struct yb__rng *r)
{
    const struct yb__county *k = &w->counties[h->county];
    yb_date sept = yb_date_from_ymd(w->year - 1, 9, 1);

    for (int i = 0; i < h->n; i++) {
        struct yb__person *p = &h->m[i];
        int a = yb_date_age(p->birth, sept);

        if (p->newborn) {
            p->psn_type = 1401;
        } else if (a >= 6 && a <= 17 &&
                   yb__rng_chance(r, a <= 14 ? 9700 : 8500)) {
            int t = a <= 11 ? YB__SCH_PRIMARY : YB__SCH_SECONDARY;

            p->school = k->first_school[t] +
                        (int)yb__rng_below(r, (uint32_t)k->n_school[t]);
            p->psn_type = 1403;
        } else if (a >= 18 && a <= 21 && yb__rng_chance(r, 4500)) {
            p->school = w->first_college +
                        (int)yb__rng_below(r, (uint32_t)w->n_colleges);
            p->psn_type = 1404;
        } else if (p->age < 18) {
            p->psn_type = a < 6 ? 1402 : 1405;
        } else {
            p->psn_type = p->age >= 60 ? 1601 : 1501;
        }
    }
}

/* Validity of an identity: mostly certified in earlier years and still
 * valid; some certified during Y, some ending during Y. */
static void idet_dates(int year, struct yb__rng *r, yb_date *from, yb_date *to)
{
    if (yb__rng_chance(r, 1000))
        *from = yb_date_from_ymd(year, 2, 1) + (int)yb__rng_below(r, 270);
    else
        *from =
            yb_date_from_ymd(year - 6, 1, 1) + (int)yb__rng_below(r, 365 * 6);
    *to = 0;
    if (yb__rng_chance(r, 1500)) {
        yb_date lo = *from > yb_date_from_ymd(year, 1, 1)
                         ? *from + 1
                         : yb_date_from_ymd(year, 1, 1);
        yb_date hi = yb_date_from_ymd(year, 12, 30);

        *to = lo >= hi ? hi : lo + (int)yb__rng_below(r, (uint32_t)(hi - lo));
    }
}

static void give_idet(struct yb__person *p, int k, yb_date from, yb_date to)
{
    if (p->birth > from)
        from = p->birth;
    if (to != 0 && to < from)
        return;
    p->idet |= 1u << k;
    p->idet_from[k] = from;
    p->idet_to[k] = to;
}

/* Hardship identities (docs/glossary.md): minimum-living (低保),
 * registered poor (返贫致贫) and near-poor (低保边缘) households, extreme
 * poverty (特困) among the old living alone, severe disability of single
 * persons. About 7% of persons in all; rural counties have more. */
static void hardship(struct yb__world *w, struct yb__household *h,
                     struct yb__rng *r)
{
    bool rural = !w->counties[h->county].def.urban;
    int u = (int)yb__rng_below(r, 10000), kind = -1;
    yb_date from, to;

    if (u < (rural ? 500 : 300))
        kind = 1; /* 202 低保对象 */
    else if (u < (rural ? 780 : 340))
        kind = 2; /* 203 返贫致贫人口 */
    else if (u < (rural ? 930 : 490))
        kind = 3; /* 204 低保边缘 */
    else if (h->n == 1 && h->m[0].age >= 60 && yb__rng_chance(r, 800))
        kind = 0; /* 201 特困人员 */
    if (kind >= 0) {
        idet_dates(w->year, r, &from, &to);
        for (int i = 0; i < h->n; i++)
            give_idet(&h->m[i], kind, from, to);
    }
    for (int i = 0; i < h->n; i++)
        if (yb__rng_chance(r, h->m[i].age >= 60 ? 220 : 70)) {
            idet_dates(w->year, r, &from, &to);
            give_idet(&h->m[i], 4, from, to);
        }
}

/* ---- payments ------------------------------------------------------------ */

static const char *const channels[] = {"wechat", "alipay",  "app",
                                       "bank",   "counter", "village"};
static const int channel_rural[] = {3000, 1000, 1500, 1000, 500, 3000};
static const int channel_urban[] = {3800, 2000, 2500, 1200, 500, 0};
static const int window_month[4] = {15, 20, 25, 40}; /* Sep … Dec */

/* What a household does: whether it pays, its tier, when and how. */
struct hh_pay {
    bool pays;
    int tier;
    yb_date date;
    int32_t secs;
    const char *channel;
};

static void household_payment(const struct yb__world *w,
                              const struct yb__household *h, struct yb__rng *r,
                              struct hh_pay *hp)
{
    int y = w->year;

    hp->pays = !yb__rng_chance(r, 400);
    hp->tier = yb__rng_chance(r, 1000) ? 2 : 1;
    if (yb__rng_chance(r, 700)) { /* late: after the window */
        hp->date = yb_date_from_ymd(y, 1, 2) + (int)yb__rng_below(r, 89);
    } else {
        int m = 9 + yb__rng_weighted(r, window_month, 4);

        hp->date =
            yb_date_from_ymd(y - 1, m, 1) +
            (int)yb__rng_below(r, (uint32_t)yb_date_days_in_month(y - 1, m));
    }
    hp->secs = 8 * 3600 + (int32_t)yb__rng_below(r, 14 * 3600);
    hp->channel = channels[yb__rng_weighted(
        r, w->counties[h->county].def.urban ? channel_urban : channel_rural,
        6)];
}

/* The individual contribution of the built-in scheme, fen: tier 1 the
 * national minimum of the year (after 2025, the last known: 2025's), tier
 * 2 200 yuan more. */
static yb_fen amount_of(int year, int tier)
{
    int n = (int)(sizeof contribution / sizeof *contribution);
    int yuan = contribution[year - 2016 < n ? year - 2016 : n - 1];

    return (yb_fen)(yuan + (tier == 2 ? 200 : 0)) * 100;
}

static void write_payment(struct yb__world *w, const struct yb__person *p,
                          int tier, yb_fen amount, yb_date d, int32_t secs,
                          const char *channel)
{
    struct yb__csv *o = &w->out[YB__F_PAYMENTS];

    yb__csv_str(o, p->certno);
    yb__csv_sep(o);
    yb__csv_int(o, w->year);
    yb__csv_sep(o);
    yb__csv_int(o, tier);
    yb__csv_sep(o);
    yb__csv_fen(o, amount);
    yb__csv_sep(o);
    yb__csv_time(o, d, secs);
    yb__csv_sep(o);
    yb__csv_str(o, channel);
    yb__csv_sep(o);
    yb__csv_str(o, "SW");
    yb__csv_str(o, w->region);
    yb__csv_int(o, w->year - 1);
    yb__csv_zint(o, ++w->receipt_seq, 8);
    yb__csv_end(o);
}

static bool idet_on(const struct yb__person *p, int k, yb_date d)
{
    return (p->idet & (1u << k)) != 0 && p->idet_from[k] <= d &&
           (p->idet_to[k] == 0 || d <= p->idet_to[k]);
}

/* Assisted contributions (资助参保, docs/financing.md) of the built-in scheme:
 * 特困 and severely disabled in full, 低保 and registered poor 70%,
 * near-poor 50%, as certified on day d. */
static yb_rate assisted_share(const struct yb__person *p, yb_date d)
{
    if (idet_on(p, 0, d) || idet_on(p, 4, d))
        return YB_RATE_ONE;
    if (idet_on(p, 1, d) || idet_on(p, 2, d))
        return 7000;
    return idet_on(p, 3, d) ? 5000 : 0;
}

/* ---- contributions under a policy ---------------------------------------- */

/* The identities p holds on day d, as a bit set over YB_DICT_IDET. Bit k
 * of p->idet is entry k of that table, as identities.csv writes it
 * (write_identities), so the positions carry over unchanged. */
static uint64_t idets_on(const struct yb__person *p, yb_date d)
{
    uint64_t set = 0;

    for (int k = 0; k < 5 && p->idet != 0; k++)
        if (idet_on(p, k, d))
            set |= UINT64_C(1) << k;
    return set;
}

/* p's person type (YB_DICT_PSN_TYPE index) as the enrolment service
 * decides it from the policy: on 1 January of Y, or on the birth day of
 * a child born during Y; persons.csv's student flag and psn_type 1404
 * (college) as the person import reads them. */
static int policy_type(const struct yb__world *w, const struct yb__person *p,
                       int *type, struct yb_err *e)
{
    yb_date jan1 = yb_date_from_ymd(w->year, 1, 1);
    enum yb_student st = p->school < 0         ? YB_STUDENT_NONE
                         : p->psn_type == 1404 ? YB_STUDENT_COLLEGE
                                               : YB_STUDENT_SCHOOL;

    return yb_psn_type_for(w->o->policy->enrol, p->birth,
                           p->birth > jan1 ? p->birth : jan1, st, type, e);
}

/* What p owes in `tier` with the identities held on day d. */
static int policy_due(const struct yb__world *w, const struct yb__person *p,
                      int type, int tier, yb_date d, struct yb_contribution *c,
                      struct yb_err *e)
{
    return yb_contribution_due(w->o->policy->financing, type, idets_on(p, d),
                               tier, c, e);
}

/* The payment of one person: its tier, the whole contribution and the
 * part assistance pays, and the days both are paid. */
struct pay_plan {
    int tier;
    yb_fen total, assisted;
    bool at_batch;      /* assisted from the agency's batch */
    yb_date assist_day; /* 0: assistance pays nothing */
    int32_t assist_secs;
    yb_rate share; /* the built-in scheme's assisted share */
};

/* Whether assistance pays for p on the agency's batch day (x->at_batch),
 * or else on the person's own payment day d, for an identity certified
 * after the batch (x->assist_day = d). */
static int assisted_when(const struct yb__world *w, const struct yb__person *p,
                         int type, yb_date batch, yb_date d, struct pay_plan *x,
                         struct yb_err *e)
{
    struct yb_contribution c = {0};
    int rc = YB_OK;

    if (w->o->policy == NULL) {
        x->share = assisted_share(p, batch);
        x->at_batch = x->share > 0;
        if (!x->at_batch && (x->share = assisted_share(p, d)) > 0)
            x->assist_day = d;
        return YB_OK;
    }
    rc = policy_due(w, p, type, 1, batch, &c, e);
    x->at_batch = rc == YB_OK && c.assisted > 0;
    if (rc == YB_OK && !x->at_batch &&
        (rc = policy_due(w, p, type, 1, d, &c, e)) == YB_OK && c.assisted > 0)
        x->assist_day = d;
    return rc;
}

/* The amounts of x->tier; under a policy, assistance as the contribution
 * service computes it with the identities held on the day it is paid (a
 * rule for a tier above 1 may assist on the own payment day d). */
static int amounts(const struct yb__world *w, const struct yb__person *p,
                   int type, yb_date d, struct pay_plan *x, struct yb_err *e)
{
    struct yb_contribution c = {0};
    int rc;

    x->assisted = 0;
    if (w->o->policy == NULL) {
        x->total = amount_of(w->year, x->tier);
        if (x->assist_day != 0)
            yb_money_apply_rate(x->total, x->share, &x->assisted);
        return YB_OK;
    }
    rc = policy_due(w, p, type, x->tier, x->assist_day != 0 ? x->assist_day : d,
                    &c, e);
    x->total = c.individual;
    x->assisted = c.assisted;
    if (x->assisted > 0 && x->assist_day == 0)
        x->assist_day = d;
    return rc;
}

/* A person's payment rows; sets paid and cov_from. Newborns pay within 90
 * days of birth and are covered from birth; students pay through their
 * school in September and October; a late payer is covered from the day
 * after paying (a region's waiting period is policy, not modelled here).
 * Nobody pays before being born, and assistance follows the identities
 * held on the day it is paid (as the contribution service checks): the
 * assistance agency's batch of 15 October of Y-1 (the row dated within
 * 30 days after it), or the person's own payment day for an identity
 * certified after the batch. Assisted persons and students pay tier 1; a
 * tenth of the other households choose tier 2 where there is one. */
static int pay_person(struct yb__world *w, const struct hh_pay *hp,
                      struct yb__person *p, struct yb__rng *r, struct yb_err *e)
{
    const struct yb_policy *pol = w->o->policy;
    yb_date batch = yb_date_from_ymd(w->year - 1, 10, 15);
    yb_date d = hp->date, jan1 = yb_date_from_ymd(w->year, 1, 1);
    const char *ch = hp->channel;
    bool pays = hp->pays;
    struct pay_plan x = {0};
    int type = -1, rc = YB_OK;

    if (p->newborn) {
        d = p->birth + (int)yb__rng_below(r, 90);
    } else if (p->school >= 0) {
        d = yb_date_from_ymd(w->year - 1, 9, 5) + (int)yb__rng_below(r, 56);
        ch = "school";
        pays = !yb__rng_chance(r, 100);
    } else if (p->age >= 18 && p->age < 60 && yb__rng_chance(r, 300)) {
        pays = false; /* insured elsewhere, e.g. as an employee */
    }
    if (d < p->birth)
        d = p->birth;
    if (pol != NULL)
        rc = policy_type(w, p, &type, e);
    if (rc == YB_OK)
        rc = assisted_when(w, p, type, batch, d, &x, e);
    if (rc != YB_OK)
        return rc;
    bool assisted = x.at_batch || x.assist_day != 0;
    x.tier = assisted || p->school >= 0 ? 1 : hp->tier;
    if (pol != NULL && x.tier > pol->financing->n_tiers)
        x.tier = 1;
    p->paid = pays || assisted;
    if (!p->paid)
        return YB_OK;
    if (assisted) { /* the batch's row is dated within 30 days after it */
        yb_date day = batch + (int)yb__rng_below(r, 30);

        x.assist_secs = 9 * 3600 + (int32_t)yb__rng_below(r, 8 * 3600);
        if (x.assist_day == 0)
            x.assist_day = day < p->birth ? p->birth : day;
    }
    rc = amounts(w, p, type, d, &x, e);
    if (rc != YB_OK)
        return rc;
    if (x.assisted > 0 && x.assist_secs == 0)
        x.assist_secs = hp->secs;
    if (x.assisted > 0)
        write_payment(w, p, x.tier, x.assisted, x.assist_day, x.assist_secs,
                      "assistance");
    if (x.assisted < x.total)
        write_payment(w, p, x.tier, x.total - x.assisted, d, hp->secs, ch);
    else
        d = jan1 - 1; /* wholly assisted: paid in the window */
    p->cov_from = p->newborn ? p->birth : d < jan1 ? jan1 : d + 1;
    return YB_OK;
}

/* ---- rows ------------------------------------------------------------------
 */

static void household_id(struct yb__csv *o, const struct yb__world *w,
                         int64_t no)
{
    yb__csv_str(o, w->region);
    yb__csv_zint(o, no, 10);
}

static void write_household(struct yb__world *w, const struct yb__household *h)
{
    struct yb__csv *o = &w->out[YB__F_HOUSEHOLDS];
    const struct yb__county *k = &w->counties[h->county];
    char addr[200];

    snprintf(addr, sizeof addr, "%s%s%s%d号", k->def.name,
             w->towns[h->town].name, w->villages[h->village].name,
             (int)(h->no % 300) + 1);
    household_id(o, w, h->no);
    yb__csv_sep(o);
    yb__csv_str(o, h->m[0].certno);
    yb__csv_sep(o);
    yb__csv_int(o, h->n);
    yb__csv_sep(o);
    yb__csv_str(o, k->def.code);
    yb__csv_sep(o);
    yb__csv_text(o, addr);
    yb__csv_sep(o);
    yb__csv_str(o, k->def.urban ? "urban" : "rural");
    yb__csv_end(o);
}

static void write_person(struct yb__world *w, const struct yb__household *h,
                         const struct yb__person *p)
{
    struct yb__csv *o = &w->out[YB__F_PERSONS];

    yb__csv_str(o, p->certno);
    yb__csv_str(o, ",01,");
    yb__csv_text(o, p->name);
    yb__csv_sep(o);
    yb__csv_int(o, p->gend);
    yb__csv_sep(o);
    yb__csv_date(o, p->birth);
    yb__csv_sep(o);
    yb__csv_str(o, p->naty);
    yb__csv_sep(o);
    household_id(o, w, h->no);
    yb__csv_sep(o);
    yb__csv_zint(o, p->rel, 2);
    yb__csv_sep(o);
    yb__csv_str(o, w->counties[h->county].def.code);
    yb__csv_sep(o);
    yb__csv_int(o, p->psn_type);
    yb__csv_sep(o);
    yb__csv_str(o, p->school >= 0 ? "1," : "0,");
    if (p->school >= 0)
        yb__csv_str(o, w->schools[p->school].code);
    yb__csv_sep(o);
    yb__csv_str(o, h->migrant ? "1" : "0");
    yb__csv_end(o);
}

static void write_identities(struct yb__world *w, const struct yb__person *p)
{
    static const char *const source[5] = {"民政", "民政", "乡村振兴", "民政",
                                          "残联"};
    struct yb__csv *o = &w->out[YB__F_IDENTITIES];

    for (int k = 0; k < 5; k++) {
        if ((p->idet & (1u << k)) == 0)
            continue;
        yb__csv_str(o, p->certno);
        yb__csv_sep(o);
        yb__csv_str(o, yb_dict_entries(YB_DICT_IDET, NULL)[k].code);
        yb__csv_sep(o);
        yb__csv_date(o, p->idet_from[k]);
        yb__csv_sep(o);
        if (p->idet_to[k] != 0)
            yb__csv_date(o, p->idet_to[k]);
        yb__csv_sep(o);
        yb__csv_str(o, source[k]);
        yb__csv_end(o);
    }
}

/* ---- the pass
 * ---------------------------------------------------------------- */

static void place(const struct yb__world *w, struct yb__household *h,
                  struct yb__rng *r)
{
    const struct yb__county *k;
    const struct yb__town *t;

    h->county = yb__rng_weighted(r, w->county_weights, w->n_counties);
    k = &w->counties[h->county];
    h->town = k->first_town + (int)yb__rng_below(r, (uint32_t)k->n_towns);
    t = &w->towns[h->town];
    h->village =
        t->first_village + (int)yb__rng_below(r, (uint32_t)t->n_villages);
    /* residence-permit holders, ID numbers from elsewhere (docs/glossary.md) */
    if (yb__rng_chance(r, 300)) {
        h->origin = yb__synth_elsewhere(r, w->region, yb__rng_chance(r, 5000));
        h->migrant = h->origin != NULL;
    }
}

/* Draw household number no with at most `room` members. */
static int build_household(struct yb__world *w, struct yb__household *h,
                           int64_t no, int64_t room, struct yb_err *e)
{
    const char *prefix;
    struct yb__rng r;
    bool baby = false;
    int rc;

    memset(h, 0, sizeof *h);
    h->no = no;
    yb__rng_seed(&r, w->o->seed, 3, (uint64_t)no);
    place(w, h, &r);
    build_members(h, w->year, &r);
    if (h->n > room) /* the last household: keep the head first */
        h->n = (int)room;
    for (int i = 0; i < h->n; i++)
        baby = baby || h->m[i].newborn;
    prefix = h->migrant ? h->origin : w->counties[h->county].def.code;
    name_members(h, (w->region[0] - '0') * 10 + (w->region[1] - '0'), &r);
    for (int i = 0; i < h->n; i++) {
        if (!baby)
            h->m[i].deliver = 0;
        rc = assign_certno(w, prefix, &h->m[i], &r, e);
        if (rc != YB_OK)
            return rc;
    }
    classify(w, h, &r);
    hardship(w, h, &r);
    return YB_OK;
}

static int write_household_all(struct yb__world *w, struct yb__household *h,
                               struct yb_err *e)
{
    struct hh_pay hp;
    struct yb__rng r;
    int rc;

    yb__rng_seed(&r, w->o->seed, 5, (uint64_t)h->no);
    household_payment(w, h, &r, &hp);
    write_household(w, h);
    for (int i = 0; i < h->n; i++) {
        struct yb__person *p = &h->m[i];

        write_person(w, h, p);
        write_identities(w, p);
        w->hardship_persons += p->idet != 0;
        rc = pay_person(w, &hp, p, &r, e);
        if (rc != YB_OK)
            return rc;
        if (!p->paid) {
            w->unpaid_persons++;
            continue;
        }
        rc = yb__visits_write(w, h, p, e);
        if (rc != YB_OK)
            return rc;
    }
    return YB_OK;
}

int yb__people_run(struct yb__world *w, struct yb_err *e)
{
    uint64_t cap = 1024;
    int64_t done = 0, no = 0;
    struct yb__household *h = malloc(sizeof *h);
    int rc = YB_OK;

    while (cap < (uint64_t)w->o->persons * 2)
        cap <<= 1;
    w->ids = calloc(cap, sizeof *w->ids);
    w->id_mask = cap - 1;
    if (w->ids == NULL || h == NULL) {
        rc = yb_err_set(e, YB_ENOMEM, "persons", "内存不足 (out of memory)");
        goto out;
    }
    while (done < w->o->persons) {
        rc = build_household(w, h, ++no, w->o->persons - done, e);
        if (rc == YB_OK)
            rc = write_household_all(w, h, e);
        if (rc != YB_OK)
            goto out;
        done += h->n;
    }
out:
    free(h);
    free(w->ids);
    w->ids = NULL;
    return rc;
}
