/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private interface of the synthetic-region generator (synth*.c): the
 * random source, the CSV writer, the name and item tables, and the world
 * (regions, institutions, schools, catalogue) that the household pass
 * draws from. Everything is integer arithmetic so a seed gives the same
 * bytes everywhere; probabilities are in 1/10,000 and money in fen or
 * micro-yuan (1e-6 yuan) as the comments say.
 */
#ifndef YIBAO_SYNTH_INT_H
#define YIBAO_SYNTH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "yibao/date.h"
#include "yibao/err.h"
#include "yibao/money.h"
#include "yibao/synth.h"

/* ---- random source ------------------------------------------------------ */

/* splitmix64: one 64-bit state, cheap to derive per household or person,
 * so one part of the output never shifts when another part changes. */
struct yb__rng {
    uint64_t s;
};

/* Seed r for (seed, stream, index): independent sequences per stream. */
void yb__rng_seed(struct yb__rng *r, uint64_t seed, uint64_t stream,
                  uint64_t index);
uint64_t yb__rng_next(struct yb__rng *r);
/* Uniform in [0, n), n > 0 (n < 2^32; bias below 2^-32). */
uint32_t yb__rng_below(struct yb__rng *r, uint32_t n);
/* Uniform in [lo, hi] (lo <= hi). */
int yb__rng_range(struct yb__rng *r, int lo, int hi);
/* true with probability p / 10,000. */
bool yb__rng_chance(struct yb__rng *r, int p);
/* An index 0..n-1 drawn with the given non-negative weights (sum > 0). */
int yb__rng_weighted(struct yb__rng *r, const int *w, int n);
/* 1 + a geometric count: each further step happens with probability
 * q / 10,000; at most cap. */
int yb__rng_geometric(struct yb__rng *r, int q, int cap);

/* A distribution given by its quantiles: ppm is the cumulative probability
 * in millionths (first 0, last 1,000,000, increasing), value the quantile.
 * A draw interpolates linearly between points (table-driven, integer). */
struct yb__qpoint {
    int32_t ppm;
    int64_t value;
};
int64_t yb__rng_quantile(struct yb__rng *r, const struct yb__qpoint *t, int n);

/* ---- CSV writer --------------------------------------------------------- */

#define YB__CSV_BUF ((size_t)1 << 18)

/* One output file: a buffer flushed in large writes; RFC 4180 rows ending
 * in CRLF. A write error is remembered and reported at close. */
struct yb__csv {
    FILE *f;
    char *buf;
    size_t len;
    int64_t rows;  /* data rows (after the header) */
    int64_t bytes; /* everything written, header included */
    int err;       /* errno of the first failed write, 0 if none */
    char path[512];
};

int yb__csv_open(struct yb__csv *w, const char *dir, const char *name,
                 const char *header, struct yb_err *e);
/* Flush and close; YB_EIO naming the file if any write failed. Safe on a
 * writer that never opened (f NULL). */
int yb__csv_close(struct yb__csv *w, struct yb_err *e);
void yb__csv_flush(struct yb__csv *w);

static inline void yb__csv_put(struct yb__csv *w, const char *s, size_t n)
{
    if (w->len + n > YB__CSV_BUF)
        yb__csv_flush(w);
    for (size_t i = 0; i < n; i++)
        w->buf[w->len + i] = s[i];
    w->len += n;
}

static inline void yb__csv_ch(struct yb__csv *w, char c)
{
    if (w->len + 1 > YB__CSV_BUF)
        yb__csv_flush(w);
    w->buf[w->len++] = c;
}

static inline void yb__csv_sep(struct yb__csv *w)
{
    yb__csv_ch(w, ',');
}

/* End a data row (CRLF). */
static inline void yb__csv_end(struct yb__csv *w)
{
    yb__csv_put(w, "\r\n", 2);
    w->rows++;
}

/* A field known to need no quoting (codes, numbers). */
void yb__csv_str(struct yb__csv *w, const char *s);
/* Free text: quoted (with doubled quotes) when it holds , " CR or LF. */
void yb__csv_text(struct yb__csv *w, const char *s);
void yb__csv_int(struct yb__csv *w, int64_t v);
/* v zero-padded to `width` digits (v >= 0). */
void yb__csv_zint(struct yb__csv *w, int64_t v, int width);
/* Yuan with exactly two decimals from fen. */
void yb__csv_fen(struct yb__csv *w, yb_fen v);
/* v scaled by 10^scale, trailing zeros (and a bare point) dropped:
 * 15000 at scale 4 -> "1.5"; 20000 -> "2". v >= 0. */
void yb__csv_dec(struct yb__csv *w, int64_t v, int scale);
void yb__csv_date(struct yb__csv *w, yb_date d);
/* "yyyy-MM-dd HH:mm:ss"; secs since midnight. */
void yb__csv_time(struct yb__csv *w, yb_date d, int32_t secs);

/* ---- names (synth_names.c) ---------------------------------------------- */

const char *yb__synth_surname(struct yb__rng *r);
/* A given name of one or two characters for a person of gender gend
 * (1 male, 2 female) born in birth_year, into buf. */
void yb__synth_given(struct yb__rng *r, int gend, int birth_year, char *buf,
                     size_t size);
/* A two-character place name followed by suffix ("镇", "村") into buf. */
void yb__synth_place(struct yb__rng *r, const char *suffix, char *buf,
                     size_t size);
/* Name of a province-level code PP0000 ("云南省"), or NULL. */
const char *yb__synth_province(int pp);
/* An ethnicity code (GB 3304, "01" 汉族 …) drawn from the mix of province
 * pp; static storage. */
const char *yb__synth_naty(struct yb__rng *r, int pp);

/* The counties of a prefecture: names, GB/T 2260 codes and population
 * weights for a few known prefectures, a synthetic list otherwise. */
struct yb__county_def {
    char code[7];
    char name[48];
    int weight; /* population, 10,000s */
    bool urban; /* a city district (街道 and 社区 rather than 乡镇 and 村) */
};
#define YB__COUNTY_MAX 24
/* Fill defs for the prefecture code; returns the number of counties and
 * sets *name to the prefecture's name (static or in name_buf). */
int yb__synth_counties(const char *prefecture, struct yb__county_def *defs,
                       const char **name, char *name_buf, size_t size);
/* Codes of places outside the region for out-of-region care and for the
 * ID numbers of residence-permit holders: same_province selects another
 * prefecture of the region's province or another province. NULL when
 * none fits. */
const char *yb__synth_elsewhere(struct yb__rng *r, const char *region,
                                bool same_province);

/* ---- catalogue (synth_items.c, synth_catalogue.c) ----------------------- */

/* Setting tags of an item family: which visits use it. */
enum {
    YB__T_OUT = 1 << 0,    /* general outpatient */
    YB__T_INP = 1 << 1,    /* inpatient */
    YB__T_PED = 1 << 2,    /* children */
    YB__T_I10 = 1 << 3,    /* hypertension */
    YB__T_E11 = 1 << 4,    /* diabetes */
    YB__T_EXAM = 1 << 5,   /* consultation fee (诊查费) */
    YB__T_BED = 1 << 6,    /* bed-day */
    YB__T_NURSE = 1 << 7,  /* nursing per day */
    YB__T_DELV = 1 << 8,   /* vaginal delivery */
    YB__T_DELC = 1 << 9,   /* caesarean section */
    YB__T_MAT = 1 << 10,   /* maternity care */
    YB__T_SURG = 1 << 11,  /* operation */
    YB__T_PHARM = 1 << 12, /* sold in pharmacies */
    YB__T_ER = 1 << 13,    /* emergency */
};
#define YB__TAG_COUNT 14

/* A family of catalogue items sharing a name: a drug's generic name, a
 * service, a consumable, a herbal piece. */
struct yb__family {
    const char *name;
    uint8_t list; /* 0 101 drugs, 1 102 herbal, 2 201 services, 3 301 */
    /* drugs: 'X' (western) or 'Z' (patent) + an ATC-like level-4 class;
     * services: the 9-digit item code; consumables: a 2-digit class */
    const char *tag;
    int32_t lo, hi; /* typical unit price range, fen */
    uint16_t tags;
    uint8_t forms;            /* drugs: dosage forms allowed (bits of the form
                                 table); 0: the name is complete */
    int8_t lmt_gend;          /* 0 any, 1 male, 2 female */
    int16_t age_min, age_max; /* -1 unset */
};
extern const struct yb__family yb__families[];
extern const int yb__n_families;

/* One catalogue row (a version of a code). */
struct yb__item {
    char code[48];
    uint8_t list;
    uint8_t cls; /* 1 A, 2 B, 3 C */
    int8_t lmt_gend;
    uint16_t family;  /* index into the family list of the catalogue */
    int16_t age_min;  /* -1 unset */
    int16_t age_max;  /* -1 unset */
    int16_t selfpay;  /* class B first share in 1/10,000; -1 list default */
    yb_date from, to; /* inclusive; to INT32_MAX: open */
    int64_t price;    /* typical unit price, micro-yuan */
    int64_t ceiling;  /* price ceiling, micro-yuan; 0 none */
};

struct yb__catalogue {
    struct yb__item *items;
    int n;
    int *fam_first, *fam_n; /* rows of each family (contiguous) */
    /* families per (tag bit, list) and per list */
    int *by_tag[YB__TAG_COUNT][4];
    int n_by_tag[YB__TAG_COUNT][4];
    int *by_list[4];
    int n_by_list[4];
};

/* Build the catalogue (rows in o->catalogue_rows) and write catalogue.csv
 * through w. */
int yb__catalogue_build(struct yb__catalogue *c, const struct yb_synth_opts *o,
                        int year, struct yb__csv *w, struct yb_err *e);
void yb__catalogue_free(struct yb__catalogue *c);
/* A row of list `list` whose family carries tag (0: any family of the
 * list), valid on day d and allowed for a person of gender gend and age;
 * -1 if none was found. */
int yb__catalogue_pick(const struct yb__catalogue *c, struct yb__rng *r,
                       int tag, int list, yb_date d, int gend, int age);

/* ---- the world ---------------------------------------------------------- */

/* The end of a validity that has none (an open-ended agreement). */
#define YB__OPEN INT32_MAX

/* Hospital levels in the order of the hosp_lv dict table. */
enum { YB__LV3, YB__LV2, YB__LV1, YB__LVTOWN, YB__LVVILL, YB__LVNONE };
enum { YB__IT_HOSPITAL, YB__IT_TOWNSHIP, YB__IT_VILLAGE, YB__IT_PHARMACY };
enum { YB__SCH_PRIMARY, YB__SCH_SECONDARY, YB__SCH_COLLEGE };

struct yb__inst {
    char code[13];
    uint8_t lv, type;
    bool pub;
    int county;
    yb_date from, to; /* agreement, inclusive; to YB__OPEN: open-ended */
};

struct yb__town {
    char name[40];
    int county;
    int centre; /* institution */
    int first_village, n_villages;
};

struct yb__village {
    char name[40];
    int town;
    int clinic; /* institution */
};

struct yb__county {
    struct yb__county_def def;
    int64_t pop; /* expected persons */
    int first_town, n_towns;
    int first_l2, n_l2, first_l1, n_l1, first_ph, n_ph;
    int first_school[2], n_school[2]; /* primary, secondary */
};

struct yb__school {
    char code[11];
    uint8_t type;
    int county;
};

enum {
    YB__F_REGIONS,
    YB__F_INSTITUTIONS,
    YB__F_SCHOOLS,
    YB__F_CATALOGUE,
    YB__F_HOUSEHOLDS,
    YB__F_PERSONS,
    YB__F_IDENTITIES,
    YB__F_PAYMENTS,
    YB__F_VISITS,
    YB__F_FEE_LINES,
    YB__F_COUNT
};

struct yb__world {
    const struct yb_synth_opts *o;
    int year;
    char region[7];
    const char *region_name;
    char region_name_buf[64];
    struct yb__county *counties;
    int n_counties, county_weights[YB__COUNTY_MAX];
    struct yb__town *towns;
    int n_towns;
    struct yb__village *villages;
    int n_villages;
    struct yb__inst *insts;
    int n_insts, l3[16], n_l3; /* level-3 hospitals: institution indices */
    struct yb__school *schools;
    int n_schools, first_college, n_colleges;
    struct yb__catalogue cat;
    /* certno uniqueness: open addressing over packed keys, 0 = empty */
    uint64_t *ids;
    uint64_t id_mask;
    int64_t hardship_persons, unpaid_persons;
    int64_t visit_seq, receipt_seq;
    struct yb__csv out[YB__F_COUNT];
};

/* Code text of a hosp_lv index (the dict table's). */
const char *yb__synth_lv_code(int lv);

/* Regions, institutions and schools: build them and write their files
 * (synth_places.c). */
int yb__places_build(struct yb__world *w, struct yb_err *e);
void yb__places_free(struct yb__world *w);

/* A person as the household pass sees it. */
struct yb__person {
    char certno[19];
    char name[40];
    int gend;
    yb_date birth;
    int age; /* full years on Y-01-01 (0 for the year's newborns) */
    const char *naty;
    int rel;    /* relation to the head, GB/T 4761 code */
    int school; /* school index or -1 */
    int psn_type;
    bool newborn;                     /* born during Y */
    unsigned idet;                    /* bit k: identity k of YB_DICT_IDET */
    yb_date idet_from[5], idet_to[5]; /* validity; to 0: open */
    yb_date deliver; /* a mother: the newborn's birth date, else 0 */
    int matn_type;   /* 1 vaginal, 2 caesarean */
    bool paid;
    yb_date cov_from; /* covered from (valid when paid) */
};

#define YB__HH_MAX 8
struct yb__household {
    int64_t no;
    int county, town, village;
    bool migrant;
    const char *origin; /* certno prefix of a migrant household */
    int n;
    struct yb__person m[YB__HH_MAX];
};

/* Households, persons, identities and payments (synth_people.c): the
 * whole pass, calling yb__visits_write for each person. */
int yb__people_run(struct yb__world *w, struct yb_err *e);
/* One person's visits and fee lines for the year (synth_visits.c). */
int yb__visits_write(struct yb__world *w, const struct yb__household *h,
                     const struct yb__person *p, struct yb_err *e);

#endif
