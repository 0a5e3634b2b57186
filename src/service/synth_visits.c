/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A year of care for one insured person: general outpatient visits by age,
 * an occasional emergency, monthly chronic-disease visits (门诊慢特病) for
 * registered hypertension and diabetes patients, admissions (more for the
 * old), and the delivery of a mother whose child is born during the year.
 * Each visit goes to a designated institution near home (village clinic,
 * township centre, county or city hospital, pharmacy) or, now and then,
 * outside the region; its cost is drawn from a table-driven distribution
 * per setting and level and spread over 1–40 fee lines billing catalogue
 * items valid on the fee date. Amounts are integers: a line is
 * round(cnt × pric) to the fen, half up (docs/benefits.md, rounding).
 */
#include <string.h>

#include "synth_int.h"

#define MAX_LINES 40

struct line {
    int item;
    int64_t cnt;  /* 1e-4 units */
    int64_t pric; /* micro-yuan */
    yb_fen amt;
    yb_date d;
    int32_t secs;
};

struct visit {
    int med_type;
    int lv;
    bool pharmacy;
    int inst_no; /* institution index; -1 outside the region */
    const char *inst;
    char inst_buf[13];
    const char *area;
    yb_date begin, end;
    int32_t bsecs, esecs;
    int los; /* days from begin to end */
    const char *dise[3];
    int n_dise;
    const char *chronic;
    int matn;
    yb_fen target; /* cost drawn for the visit */
    struct line lines[MAX_LINES];
    int n;
};

/* What a person's visits share. */
struct who {
    struct yb__world *w;
    const struct yb__household *h;
    const struct yb__person *p;
    struct yb__rng r;
    yb_date from, to; /* covered days of Y */
    bool hyp, dm;
};

#define Q(a, b, c, d, e, f, g, h)                                              \
    {                                                                          \
        {0, a}, {100000, b}, {250000, c}, {500000, d}, {750000, e},            \
            {900000, f}, {990000, g},                                          \
        {                                                                      \
            1000000, h                                                         \
        }                                                                      \
    }

/* Visit costs in fen by hospital level (hosp_lv order): outpatient tens to
 * hundreds of yuan, admissions thousands to tens of thousands, more at
 * higher levels; long right tails. */
static const struct yb__qpoint q_out[6][8] = {
    Q(2000, 6000, 12000, 23000, 42000, 70000, 180000, 500000),
    Q(1500, 4000, 8000, 15000, 26000, 42000, 100000, 250000),
    Q(1000, 2500, 4500, 8000, 14000, 22000, 50000, 100000),
    Q(800, 2000, 3500, 6000, 10000, 16000, 35000, 60000),
    Q(500, 1200, 2000, 3500, 6000, 9500, 18000, 30000),
    Q(500, 1500, 3000, 5500, 9000, 15000, 40000, 100000),
};
static const struct yb__qpoint q_inp[6][8] = {
    Q(150000, 450000, 750000, 1200000, 2000000, 3300000, 10000000, 40000000),
    Q(100000, 280000, 420000, 650000, 1000000, 1500000, 4000000, 12000000),
    Q(80000, 180000, 280000, 400000, 600000, 850000, 1800000, 4000000),
    Q(50000, 120000, 180000, 280000, 400000, 550000, 1000000, 2000000),
    Q(50000, 120000, 180000, 280000, 400000, 550000, 1000000, 2000000),
    Q(80000, 180000, 280000, 400000, 600000, 850000, 1800000, 4000000),
};
static const struct yb__qpoint q_er[8] =
    Q(5000, 12000, 22000, 40000, 70000, 120000, 300000, 800000);
static const struct yb__qpoint q_chronic[8] =
    Q(5000, 10000, 15000, 25000, 40000, 60000, 120000, 300000);
static const struct yb__qpoint q_deliver[2][8] = {
    Q(150000, 220000, 260000, 320000, 400000, 500000, 800000, 1500000),
    Q(350000, 480000, 550000, 650000, 800000, 950000, 1500000, 3000000),
};
/* Cost of a bed-day by level, fen: length of stay follows the cost. */
static const int64_t daily[6] = {120000, 80000, 50000, 35000, 35000, 50000};

static const char *const dx_out_child[] = {"J06.900", "J20.900", "A09.900",
                                           "J02.900", "R50.900", "J18.900",
                                           "L30.900"};
static const char *const dx_out_adult[] = {
    "J06.900", "J02.900", "K29.700", "M54.500", "L30.900", "N39.000",
    "H10.900", "K02.900", "R51.x00", "J20.900", "M17.900"};
static const char *const dx_er[] = {"S06.000", "R50.900", "R10.400",
                                    "T14.000", "J18.900", "I63.900"};
static const char *const dx_inp_child[] = {"J18.900", "A09.900", "J21.900",
                                           "J20.900", "S52.500"};
static const char *const dx_inp_adult[] = {"K35.800", "K80.200", "J18.900",
                                           "M51.202", "N20.000", "K29.700",
                                           "S82.200", "E11.900"};
static const char *const dx_inp_old[] = {
    "I63.900", "J44.100", "I25.100", "I50.900", "J18.900", "H25.900",
    "S72.000", "C34.900", "C16.900", "K92.200", "M17.900", "I61.900"};
static const char *const dx_injury[] = {"S72.000", "S82.200", "S06.000",
                                        "S32.000", "S52.500", "S42.200"};
#define PICK(r, a)                                                             \
    ((a)[yb__rng_below(r, (uint32_t)(sizeof(a) / sizeof((a)[0])))])

/* By age group (upper bound inclusive): outpatient visits (chance of none,
 * then a geometric count), admissions, hypertension and diabetes. */
static const struct {
    int max_age, out_none, out_more, inp, hyp, dm;
} by_age[] = {
    {4, 1500, 7500, 1500, 0, 0},         {14, 3500, 6000, 700, 0, 0},
    {34, 4500, 6000, 1000, 0, 0},        {44, 4500, 6000, 1000, 500, 200},
    {59, 3000, 7143, 1700, 1800, 700},   {74, 2000, 8000, 2900, 3500, 1200},
    {200, 1500, 8333, 4000, 4500, 1300},
};

static int age_group(int age)
{
    int g = 0;

    while (by_age[g].max_age < age)
        g++;
    return g;
}

/* ---- where --------------------------------------------------------------- */

/* Level of care by setting, weights in hosp_lv order (3, 2, 1, township,
 * village, unrated: a pharmacy for outpatients). */
static const int lv_out_rural[6] = {800, 1500, 1000, 3000, 3000, 700};
static const int lv_out_urban[6] = {1800, 2000, 1000, 2500, 2000, 700};
static const int lv_er[6] = {4000, 6000, 0, 0, 0, 0};
static const int lv_chronic[6] = {1500, 3500, 0, 5000, 0, 0};
static const int lv_inp_rural[6] = {3000, 4500, 1000, 1500, 0, 0};
static const int lv_inp_urban[6] = {4500, 4000, 1000, 500, 0, 0};
static const int lv_mat[6] = {3500, 5500, 0, 1000, 0, 0};

/* An institution of the drawn level near home with an agreement on day d;
 * the county hospital when the drawn one has none. */
static int choose_inst(struct who *x, const int *weights, yb_date d)
{
    const struct yb__world *w = x->w;
    const struct yb__county *k = &w->counties[x->h->county];
    struct yb__rng *r = &x->r;
    int i;

    switch (yb__rng_weighted(r, weights, 6)) {
    case YB__LV3:
        i = w->l3[yb__rng_below(r, (uint32_t)w->n_l3)];
        break;
    case YB__LV2:
        i = k->first_l2 + (int)yb__rng_below(r, (uint32_t)k->n_l2);
        break;
    case YB__LV1:
        i = k->first_l1 + (int)yb__rng_below(r, (uint32_t)k->n_l1);
        break;
    case YB__LVTOWN:
        i = w->towns[x->h->town].centre;
        break;
    case YB__LVVILL:
        i = w->villages[x->h->village].clinic;
        break;
    default:
        i = k->first_ph + (int)yb__rng_below(r, (uint32_t)k->n_ph);
        break;
    }
    if (d < w->insts[i].from || d > w->insts[i].to)
        i = k->first_l2;
    return i;
}

/* Fill v's institution: local (drawn with weights) or, with probability
 * away / 10,000, a hospital elsewhere in the province or the country
 * (docs/benefits.md), whose code is not in institutions.csv. */
static void locate(struct who *x, struct visit *v, const int *weights, int away)
{
    const char *area = NULL;
    int i;

    if (yb__rng_chance(&x->r, away))
        area = yb__synth_elsewhere(&x->r, x->w->region,
                                   yb__rng_chance(&x->r, 6000));
    if (area != NULL) {
        snprintf(v->inst_buf, sizeof v->inst_buf, "H%s9%04d", area,
                 (int)yb__rng_below(&x->r, 10000));
        v->inst = v->inst_buf;
        v->area = area;
        v->lv = yb__rng_chance(&x->r, 8000) ? YB__LV3 : YB__LV2;
        v->inst_no = -1;
        return;
    }
    i = choose_inst(x, weights, v->begin);
    v->inst_no = i;
    v->pharmacy = x->w->insts[i].type == YB__IT_PHARMACY;
    v->inst = x->w->insts[i].code;
    v->lv = x->w->insts[i].lv;
    v->area = x->w->counties[x->w->insts[i].county].def.code;
}

/* ---- fee lines ------------------------------------------------------------
 */

/* Which lists a setting bills (weights, 101 102 201 301) and the family
 * tag it draws from in each (0: any family of the list). */
struct setting {
    int lists[4];
    int tags[4];
};
static const struct setting s_out = {
    {6000, 800, 2700, 500}, {YB__T_OUT, YB__T_OUT, YB__T_OUT, YB__T_OUT}};
static const struct setting s_pharm = {{8500, 1500, 0, 0},
                                       {YB__T_PHARM, YB__T_PHARM, 0, 0}};
static const struct setting s_er = {{5000, 0, 3500, 1500},
                                    {YB__T_ER, 0, YB__T_ER, YB__T_ER}};
static const struct setting s_i10 = {{8500, 300, 1200, 0},
                                     {YB__T_I10, YB__T_OUT, YB__T_I10, 0}};
static const struct setting s_e11 = {
    {8000, 300, 1200, 500}, {YB__T_E11, YB__T_OUT, YB__T_E11, YB__T_E11}};
static const struct setting s_inp = {
    {4000, 500, 3500, 2000}, {YB__T_INP, YB__T_INP, YB__T_INP, YB__T_INP}};
static const struct setting s_surg = {{3000, 0, 4000, 3000},
                                      {YB__T_SURG, 0, YB__T_SURG, YB__T_SURG}};
static const struct setting s_mat = {{3500, 0, 4000, 2500},
                                     {YB__T_MAT, 0, YB__T_MAT, YB__T_MAT}};

/* A fee time inside the visit. */
static void line_time(struct who *x, const struct visit *v, yb_date *d,
                      int32_t *secs)
{
    struct yb__rng *r = &x->r;
    int day = v->los == 0 ? 0 : (int)yb__rng_below(r, (uint32_t)v->los + 1);

    *d = v->begin + day;
    if (v->los == 0)
        *secs = v->bsecs +
                (int32_t)yb__rng_below(r, (uint32_t)(v->esecs - v->bsecs + 1));
    else if (day == 0)
        *secs = v->bsecs + (int32_t)yb__rng_below(r, 3600);
    else if (day == v->los)
        *secs = 8 * 3600 +
                (int32_t)yb__rng_below(r, (uint32_t)(v->esecs - 8 * 3600 + 1));
    else
        *secs = 7 * 3600 + (int32_t)yb__rng_below(r, 14 * 3600);
}

/* round(cnt × pric) to the fen, half up: cnt in 1e-4, pric in 1e-6 yuan,
 * so the product is in 1e-10 yuan = 1e-8 fen. */
static yb_fen line_amount(int64_t cnt, int64_t pric)
{
    int64_t prod;

    if (__builtin_mul_overflow(cnt, pric, &prod))
        return -1;
    return yb_div_half_up(prod, 100000000);
}

/* Append a line billing item; false when the visit is full or the amount
 * would overflow. */
static bool append(struct visit *v, int item, int64_t cnt, int64_t pric,
                   yb_date d, int32_t secs)
{
    struct line *l;
    yb_fen amt = line_amount(cnt, pric);

    if (v->n >= MAX_LINES || amt < 0)
        return false;
    l = &v->lines[v->n++];
    l->item = item;
    l->cnt = cnt;
    l->pric = pric;
    l->amt = amt;
    l->d = d;
    l->secs = secs;
    return true;
}

/* A service billed by count (consultation, bed-days, nursing, delivery);
 * returns its amount. */
static yb_fen fixed_line(struct who *x, struct visit *v, int tag, int64_t n)
{
    const struct yb__catalogue *c = &x->w->cat;
    int age = yb_date_age(x->p->birth, v->begin);
    int item = yb__catalogue_pick(c, &x->r, tag, 2, v->begin, x->p->gend, age);

    if (item < 0 ||
        !append(v, item, n * 10000, c->items[item].price, v->begin, v->bsecs))
        return 0;
    return v->lines[v->n - 1].amt;
}

/* The quantity that spends about `budget` fen at price pric: whole units
 * mostly, now and then a fraction (4 decimals at most). */
static int64_t quantity(struct yb__rng *r, yb_fen budget, int64_t pric,
                        int list)
{
    int64_t units = budget * 10000 / pric, cap = list == 1 ? 3000 : 999;

    if (units < 1)
        units = 1;
    if (units > cap)
        units = cap;
    if (list != 1 && units < 20 && yb__rng_chance(r, 500))
        return units * 10000 + (yb__rng_chance(r, 5000)
                                    ? 5000
                                    : (int64_t)yb__rng_below(r, 10000));
    return units * 10000;
}

/* k lines spending about `budget` fen between them, drawn from setting s;
 * a child's drugs come from children's families half the time. */
static void flexible_lines(struct who *x, struct visit *v,
                           const struct setting *s, int k, yb_fen budget)
{
    const struct yb__catalogue *c = &x->w->cat;
    struct yb__rng *r = &x->r;
    int weights[MAX_LINES], total = 0;
    int age = yb_date_age(x->p->birth, v->begin);

    if (k > MAX_LINES - v->n)
        k = MAX_LINES - v->n;
    for (int i = 0; i < k; i++)
        total += weights[i] = 1 + (int)yb__rng_below(r, 100);
    for (int i = 0; i < k; i++) {
        int list = yb__rng_weighted(r, s->lists, 4), tag = s->tags[list];
        const struct yb__item *it;
        int64_t pric;
        yb_date d;
        int32_t secs;
        int item;

        if (list == 0 && age < 14 && yb__rng_chance(r, 5000))
            tag = YB__T_PED;
        line_time(x, v, &d, &secs);
        item = yb__catalogue_pick(c, r, tag, list, d, x->p->gend, age);
        if (item < 0)
            continue;
        it = &c->items[item];
        pric = it->price;
        /* now and then a hospital charges above the ceiling (超限价) */
        if (it->ceiling > 0 && yb__rng_chance(r, 1000))
            pric = it->ceiling * yb__rng_range(r, 105, 150) / 100;
        append(v, item, quantity(r, budget * weights[i] / total, pric, list),
               pric, d, secs);
    }
}

static void write_lines(struct yb__world *w, const char *id,
                        const struct visit *v)
{
    struct yb__csv *f = &w->out[YB__F_FEE_LINES];

    for (int i = 0; i < v->n; i++) {
        const struct line *l = &v->lines[i];

        yb__csv_str(f, id);
        yb__csv_sep(f);
        yb__csv_int(f, i + 1);
        yb__csv_sep(f);
        yb__csv_str(f, w->cat.items[l->item].code);
        yb__csv_sep(f);
        yb__csv_time(f, l->d, l->secs);
        yb__csv_sep(f);
        yb__csv_dec(f, l->cnt, 4);
        yb__csv_sep(f);
        yb__csv_dec(f, l->pric, 6);
        yb__csv_sep(f);
        yb__csv_fen(f, l->amt);
        yb__csv_end(f);
    }
}

static void write_visit(struct who *x, const struct visit *v)
{
    struct yb__world *w = x->w;
    struct yb__csv *o = &w->out[YB__F_VISITS];
    char id[32];
    yb_fen sum = 0;

    if (v->n == 0)
        return;
    snprintf(id, sizeof id, "%s%04d%010lld", w->region, w->year,
             (long long)++w->visit_seq);
    for (int i = 0; i < v->n; i++)
        sum += v->lines[i].amt;
    yb__csv_str(o, id);
    yb__csv_sep(o);
    yb__csv_str(o, x->p->certno);
    yb__csv_str(o, ",390,");
    yb__csv_str(o, v->inst);
    yb__csv_sep(o);
    yb__csv_int(o, v->med_type);
    yb__csv_sep(o);
    yb__csv_str(o, yb__synth_lv_code(v->lv));
    yb__csv_sep(o);
    yb__csv_str(o, w->counties[x->h->county].def.code);
    yb__csv_sep(o);
    yb__csv_str(o, v->area);
    yb__csv_sep(o);
    yb__csv_time(o, v->begin, v->bsecs);
    yb__csv_sep(o);
    yb__csv_time(o, v->end, v->esecs);
    yb__csv_sep(o);
    for (int i = 0; i < v->n_dise; i++) {
        if (i > 0)
            yb__csv_ch(o, '|');
        yb__csv_str(o, v->dise[i]);
    }
    yb__csv_sep(o);
    if (v->chronic != NULL)
        yb__csv_str(o, v->chronic);
    yb__csv_sep(o);
    if (v->matn != 0)
        yb__csv_int(o, v->matn);
    yb__csv_sep(o);
    yb__csv_fen(o, sum);
    yb__csv_end(o);
    write_lines(w, id, v);
}

/* ---- visits -----------------------------------------------------------------
 */

static void start(struct visit *v, int med_type)
{
    v->med_type = med_type;
    v->n = 0;
    v->n_dise = 0;
    v->chronic = NULL;
    v->matn = 0;
    v->pharmacy = false;
    v->los = 0;
}

static void same_day(struct who *x, struct visit *v, yb_date d, int32_t from,
                     int32_t span)
{
    v->begin = v->end = d;
    v->los = 0;
    v->bsecs = from + (int32_t)yb__rng_below(&x->r, (uint32_t)span);
    v->esecs = v->bsecs + 600 + (int32_t)yb__rng_below(&x->r, 5400);
}

static void add_dise(struct visit *v, const char *code)
{
    for (int i = 0; i < v->n_dise; i++)
        if (strcmp(v->dise[i], code) == 0)
            return;
    if (v->n_dise < 3)
        v->dise[v->n_dise++] = code;
}

static yb_fen rest(yb_fen target, yb_fen used)
{
    return target - used > target / 5 ? target - used : target / 5;
}

static void outpatient(struct who *x, yb_date d)
{
    struct visit v;
    bool child = x->p->age < 14;
    yb_fen fixed;

    start(&v, 11);
    same_day(x, &v, d, 8 * 3600, 9 * 3600 + 1800);
    locate(x, &v,
           x->w->counties[x->h->county].def.urban ? lv_out_urban : lv_out_rural,
           100);
    add_dise(&v, child ? PICK(&x->r, dx_out_child) : PICK(&x->r, dx_out_adult));
    if (v.pharmacy) {
        v.target = yb__rng_quantile(&x->r, q_out[YB__LVNONE], 8);
        flexible_lines(x, &v, &s_pharm, yb__rng_geometric(&x->r, 4000, 5),
                       v.target);
    } else {
        v.target = yb__rng_quantile(&x->r, q_out[v.lv], 8);
        fixed = fixed_line(x, &v, YB__T_EXAM, 1);
        flexible_lines(x, &v, &s_out, yb__rng_geometric(&x->r, 6000, 8),
                       rest(v.target, fixed));
    }
    write_visit(x, &v);
}

static void emergency(struct who *x)
{
    struct visit v;
    yb_fen fixed;

    start(&v, 13);
    same_day(x, &v,
             x->from +
                 (int)yb__rng_below(&x->r, (uint32_t)(x->to - x->from + 1)),
             0, 20 * 3600);
    v.esecs += 3600;
    locate(x, &v, lv_er, 200);
    add_dise(&v, PICK(&x->r, dx_er));
    v.target = yb__rng_quantile(&x->r, q_er, 8);
    fixed = fixed_line(x, &v, YB__T_EXAM, 1);
    flexible_lines(x, &v, &s_er, 1 + yb__rng_geometric(&x->r, 6000, 10),
                   rest(v.target, fixed));
    write_visit(x, &v);
}

/* Monthly visits of a registered chronic patient (med_type 14). */
static void chronic(struct who *x)
{
    for (yb_date d = x->from + (int)yb__rng_below(&x->r, 35); d <= x->to;
         d += 28 + (int)yb__rng_below(&x->r, 8)) {
        bool i10 = x->hyp && (!x->dm || yb__rng_chance(&x->r, 5000));
        struct visit v;
        yb_fen fixed;

        start(&v, 14);
        same_day(x, &v, d, 8 * 3600, 9 * 3600);
        locate(x, &v, lv_chronic, 0);
        v.chronic = i10 ? "I10" : "E11";
        add_dise(&v, i10 ? "I10.x00" : "E11.900");
        v.target = yb__rng_quantile(&x->r, q_chronic, 8);
        fixed = fixed_line(x, &v, YB__T_EXAM, 1);
        flexible_lines(x, &v, i10 ? &s_i10 : &s_e11,
                       yb__rng_geometric(&x->r, 5000, 5),
                       rest(v.target, fixed));
        write_visit(x, &v);
    }
}

/* Place a stay of v->los days starting in [lo, hi] inside the covered
 * days (shortened at the year's end); the local institution must still
 * have an agreement on the day of admission. */
static void stay(struct who *x, struct visit *v, yb_date lo, yb_date hi)
{
    const struct yb__world *w = x->w;

    if (v->begin + v->los > x->to)
        v->begin = x->to - v->los < lo ? lo : x->to - v->los;
    if (v->begin > hi)
        v->begin = hi;
    if (v->begin + v->los > x->to)
        v->los = x->to - v->begin;
    v->end = v->begin + v->los;
    v->bsecs = 8 * 3600 + (int32_t)yb__rng_below(&x->r, 8 * 3600);
    v->esecs = v->los == 0
                   ? v->bsecs + 3600 + (int32_t)yb__rng_below(&x->r, 7200)
                   : 9 * 3600 + (int32_t)yb__rng_below(&x->r, 3 * 3600);
    if (v->inst_no >= 0 && (v->begin < w->insts[v->inst_no].from ||
                            v->begin > w->insts[v->inst_no].to)) {
        v->inst_no = w->counties[x->h->county].first_l2;
        v->inst = w->insts[v->inst_no].code;
        v->lv = w->insts[v->inst_no].lv;
        v->area = w->counties[x->h->county].def.code;
        v->pharmacy = false;
    }
}

static void admission_dise(struct who *x, struct visit *v)
{
    int age = x->p->age;

    if (v->med_type == 22)
        add_dise(v, PICK(&x->r, dx_injury));
    else if (age < 14)
        add_dise(v, PICK(&x->r, dx_inp_child));
    else if (age < 60)
        add_dise(v, PICK(&x->r, dx_inp_adult));
    else
        add_dise(v, PICK(&x->r, dx_inp_old));
    if (x->hyp)
        add_dise(v, "I10.x00");
    if (x->dm)
        add_dise(v, "E11.900");
}

/* One admission (21, or 22 after an injury) beginning in [lo, hi];
 * returns the discharge day. */
static yb_date admission(struct who *x, yb_date lo, yb_date hi)
{
    struct yb__rng *r = &x->r;
    struct visit v;
    yb_fen used;
    int64_t los;
    int surg;

    start(&v, yb__rng_chance(r, 700) ? 22 : 21);
    v.begin = lo + (int)yb__rng_below(r, (uint32_t)(hi - lo + 1));
    locate(x, &v,
           x->w->counties[x->h->county].def.urban ? lv_inp_urban : lv_inp_rural,
           500);
    v.target = yb__rng_quantile(r, q_inp[v.lv], 8);
    los = v.target * yb__rng_range(r, 70, 130) / 100 / daily[v.lv];
    v.los = (int)(los < 1 ? 1 : los > 60 ? 60 : los);
    stay(x, &v, lo, hi);
    admission_dise(x, &v);
    used = fixed_line(x, &v, YB__T_BED, v.los > 0 ? v.los : 1);
    used += fixed_line(x, &v, YB__T_NURSE, v.los > 0 ? v.los : 1);
    surg = v.med_type == 22 ? 4000 : v.target > 1000000 ? 5000 : 1500;
    if (yb__rng_chance(r, surg)) {
        flexible_lines(x, &v, &s_surg, 3 + (int)yb__rng_below(r, 4),
                       rest(v.target, used) * 2 / 5);
        used += rest(v.target, used) * 2 / 5;
    }
    flexible_lines(x, &v, &s_inp,
                   6 + (int)(v.target / 100000 > 24 ? 24 : v.target / 100000) +
                       (int)yb__rng_below(r, 8),
                   rest(v.target, used));
    write_visit(x, &v);
    return v.end;
}

/* The delivery of a mother whose child is born during Y (med_type 52;
 * matn_type 1 vaginal, 2 caesarean). */
static void delivery(struct who *x)
{
    const struct yb__person *p = x->p;
    struct visit v;
    yb_fen used;
    yb_date lo = p->deliver - (int)yb__rng_below(&x->r, 2);

    if (p->deliver < x->from)
        return; /* not covered yet */
    start(&v, 52);
    v.matn = p->matn_type;
    v.begin = lo < x->from ? x->from : lo;
    locate(x, &v, lv_mat, 0);
    v.los = v.matn == 1 ? 2 + (int)yb__rng_below(&x->r, 3)
                        : 4 + (int)yb__rng_below(&x->r, 4);
    stay(x, &v, v.begin, v.begin);
    add_dise(&v, v.matn == 1 ? "O80.000" : "O82.000");
    v.target = yb__rng_quantile(&x->r, q_deliver[v.matn - 1], 8);
    if (v.lv == YB__LV3)
        v.target = v.target * 13 / 10;
    used = fixed_line(x, &v, YB__T_BED, v.los > 0 ? v.los : 1);
    used += fixed_line(x, &v, YB__T_NURSE, v.los > 0 ? v.los : 1);
    used += fixed_line(x, &v, v.matn == 1 ? YB__T_DELV : YB__T_DELC, 1);
    flexible_lines(x, &v, &s_mat, 8 + (int)yb__rng_below(&x->r, 12),
                   rest(v.target, used));
    write_visit(x, &v);
}

/* Admissions of the year, one per equal slice of the covered days, each
 * after the previous discharge, so two stays never overlap. */
static void admissions(struct who *x, int q)
{
    int n = yb__rng_geometric(&x->r, q, 6);
    int64_t span = x->to - x->from + 1;
    yb_date last = x->from - 1;

    if (span < n * 8)
        n = 1;
    for (int j = 0; j < n; j++) {
        yb_date lo = x->from + (yb_date)(span * j / n);
        yb_date hi = x->from + (yb_date)(span * (j + 1) / n) - 1;

        if (lo <= last)
            lo = last + 1;
        if (lo <= hi)
            last = admission(x, lo, hi);
    }
}

int yb__visits_write(struct yb__world *w, const struct yb__household *h,
                     const struct yb__person *p, struct yb_err *e)
{
    struct who x = {.w = w, .h = h, .p = p};
    int g = age_group(p->age), n;
    int64_t span;

    (void)e;
    yb__rng_seed(&x.r, w->o->seed, 4,
                 (uint64_t)h->no * YB__HH_MAX + (uint64_t)(p - h->m));
    x.from = p->cov_from;
    x.to = yb_date_from_ymd(w->year, 12, 31);
    if (x.from > x.to)
        return YB_OK;
    span = x.to - x.from + 1;
    x.hyp = yb__rng_chance(&x.r, by_age[g].hyp);
    x.dm = yb__rng_chance(&x.r, by_age[g].dm);
    n = yb__rng_chance(&x.r, by_age[g].out_none)
            ? 0
            : yb__rng_geometric(&x.r, by_age[g].out_more, 40);
    for (int i = 0; i < n; i++)
        if (span >= 365 || yb__rng_chance(&x.r, (int)(span * 10000 / 365)))
            outpatient(&x, x.from + (int)yb__rng_below(&x.r, (uint32_t)span));
    if (yb__rng_chance(&x.r, 300))
        emergency(&x);
    if ((x.hyp || x.dm) && yb__rng_chance(&x.r, 5000))
        chronic(&x);
    if (p->deliver != 0)
        delivery(&x);
    else if (yb__rng_chance(&x.r, (int)(by_age[g].inp * span / 366)))
        admissions(&x, p->age >= 60 ? 3000 : 2000);
    return YB_OK;
}
