/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/settle: settlements per second on one core. Generates a
 * 50,000-entry catalogue (classes A/B/C, some price ceilings) and visits of
 * 20 fee lines each for persons whose accumulators carry over visit by
 * visit, loads the national default policy, then times yb_settle alone
 * (inputs prepared beforehand, arena reset per settlement). As a baseline
 * in the same run it times classification only (catalogue look-up and line
 * split of the same lines), so the ratio shows what the benefit layers cost
 * on top of reading the bill.
 *
 * Usage: settle [--policy FILE] [--seconds S] [--visits N]
 * Last lines: RESULT settle_rate <n> settlements/s, RESULT ... (machine
 * readable).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "yibao/yibao.h"

#define N_ENTRIES 50000
#define N_LINES 20

static uint64_t rng = UINT64_C(0x2545F4914F6CDD1D);

static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * UINT64_C(2685821657736338717);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf)
        buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

static struct yb_catalogue_entry *make_catalogue(char (*codes)[32])
{
    struct yb_catalogue_entry *x = calloc(N_ENTRIES, sizeof *x);
    for (int i = 0; i < N_ENTRIES; i++) {
        /* 23-character drug-like codes */
        snprintf(codes[i], 32, "X%c%02dAAA%03dA%03d0101%05d",
                 'A' + (int)(rnd() % 26), (int)(rnd() % 100),
                 (int)(rnd() % 1000), (int)(rnd() % 1000), i % 100000);
        x[i].code = codes[i];
        x[i].name = codes[i];
        x[i].list_type = (int)(rnd() % 4);
        int r = (int)(rnd() % 10);
        x[i].chrgitm_lv = r < 6 ? 1 : r < 9 ? 2 : 3;
        x[i].selfpay_prop =
            x[i].chrgitm_lv == 2 ? (yb_rate)(rnd() % 30) * 100 : -1;
        x[i].price_ceiling =
            rnd() % 10 == 0 ? (int64_t)(rnd() % 2000 + 1) * 1000000 : 0;
        x[i].valid_from = yb_date_from_ymd(2000, 1, 1);
        x[i].valid_to = INT32_MAX;
        x[i].lmt_age_min = x[i].lmt_age_max = -1;
    }
    return x;
}

struct job {
    struct yb_person psn;
    struct yb_visit visit;
    struct yb_fee_line lines[N_LINES];
    int person; /* index of the person: accumulators carry over */
};

static void make_jobs(struct job *jobs, int n, char (*codes)[32])
{
    static const char *meds[] = {"11", "21", "21", "14", "11", "21"};
    static const char *lvs[] = {"3", "2", "1", "township"};
    for (int i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        memset(j, 0, sizeof *j);
        j->person = i / 10;
        j->psn.psn_no = "P";
        j->psn.psn_type = yb_dict_index(YB_DICT_PSN_TYPE, "1501");
        j->psn.tier = 1;
        j->psn.gender = 1 + (int)(j->person % 2);
        j->psn.birth = yb_date_from_ymd(1950 + j->person % 60, 3, 1);
        if (j->person % 12 == 0)
            j->psn.idets = UINT64_C(1) << yb_dict_index(YB_DICT_IDET, "202");
        struct yb_visit *v = &j->visit;
        v->mdtrt_id = "V";
        v->med_type = yb_dict_index(YB_DICT_MED_TYPE, meds[rnd() % 6]);
        v->hosp_lv = yb_dict_index(YB_DICT_HOSP_LV, lvs[rnd() % 4]);
        strcpy(v->insuplc_admdvs, "530102");
        strcpy(v->mdtrtarea_admvs, "530102");
        v->begin = yb_date_from_ymd(2018, 1 + (i % 10), 5);
        v->end = v->begin + 7;
        v->chronic_disease = "I10";
        for (int k = 0; k < N_LINES; k++) {
            struct yb_fee_line *l = &j->lines[k];
            l->feedetl_sn = "1";
            l->med_list_codg = codes[rnd() % N_ENTRIES];
            l->cnt = (int64_t)(rnd() % 20 + 1) * 10000;
            l->amount = (yb_fen)(rnd() % 300000 + 100);
            l->pric = l->amount * 10000 / (l->cnt / 10000);
            l->fee_date = v->begin;
        }
    }
}

int main(int argc, char **argv)
{
    const char *policy_path = "policies/national-default-2018.json";
    double seconds = 3.0;
    int n_jobs = 100000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--policy") == 0)
            policy_path = argv[i + 1];
        else if (strcmp(argv[i], "--seconds") == 0)
            seconds = atof(argv[i + 1]);
        else if (strcmp(argv[i], "--visits") == 0)
            n_jobs = atoi(argv[i + 1]);
    }
    size_t len;
    char *text = read_file(policy_path, &len);
    struct yb_policy *p = NULL;
    struct yb_err e = {0};
    if (!text || yb_policy_parse(text, len, &p, &e) != YB_OK) {
        fprintf(stderr, "settle: cannot load %s: %s %s\n", policy_path, e.field,
                e.msg);
        return 1;
    }
    char(*codes)[32] = malloc(sizeof *codes * N_ENTRIES);
    struct yb_catalogue_entry *entries = make_catalogue(codes);
    struct yb_catalogue cat;
    if (yb_catalogue_build(&cat, entries, N_ENTRIES, &e) != YB_OK) {
        fprintf(stderr, "settle: catalogue: %s\n", e.msg);
        return 1;
    }
    struct job *jobs = malloc(sizeof *jobs * (size_t)n_jobs);
    make_jobs(jobs, n_jobs, codes);

    /* accumulators per person live in a long-lived arena, copied after
     * each visit so the per-settlement arena can be reset */
    struct yb_arena work, keep;
    yb_arena_init(&work, 1 << 16);
    yb_arena_init(&keep, 1 << 20);
    int n_persons = n_jobs / 10 + 1;
    struct yb_accums *acc = calloc((size_t)n_persons, sizeof *acc);

    long settled = 0, classified = 0;
    yb_fen paid = 0;
    double t0 = now(), t;
    int passes = 0;
    do {
        for (int i = 0; i < n_persons; i++)
            acc[i] = (struct yb_accums){2018, NULL, 0};
        yb_arena_reset(&keep);
        for (int i = 0; i < n_jobs; i++) {
            struct job *j = &jobs[i];
            struct yb_settlement s;
            yb_arena_reset(&work);
            if (yb_settle(p, &cat, &j->psn, &j->visit, j->lines, N_LINES,
                          &acc[j->person], &work, &s, &e) != YB_OK) {
                fprintf(stderr, "settle: %s: %s\n", e.field, e.msg);
                return 1;
            }
            paid += s.info.fund_pay_sumamt;
            struct yb_accum *items =
                yb_arena_alloc(&keep, sizeof *items * (size_t)s.after.n);
            memcpy(items, s.after.items, sizeof *items * (size_t)s.after.n);
            acc[j->person] = (struct yb_accums){2018, items, s.after.n};
            settled++;
        }
        passes++;
        t = now() - t0;
    } while (t < seconds);
    double rate = (double)settled / t;

    /* baseline: classification alone, via the same engine on a policy with
     * no layers that pay is not possible to express, so time the catalogue
     * look-ups and splits directly */
    t0 = now();
    yb_fen scope = 0;
    do {
        for (int i = 0; i < n_jobs; i++)
            for (int k = 0; k < N_LINES; k++) {
                const struct yb_fee_line *l = &jobs[i].lines[k];
                const struct yb_catalogue_entry *x =
                    yb_catalogue_find(&cat, l->med_list_codg, l->fee_date);
                scope += x && x->chrgitm_lv != 3 ? l->amount : 0;
            }
        classified += n_jobs;
        t = now() - t0;
    } while (t < seconds / 3);
    double lookup_rate = (double)classified / t;

    printf("catalogue entries      %d\n", N_ENTRIES);
    printf("fee lines per visit    %d\n", N_LINES);
    printf("visits settled         %ld (%d passes over %d visits)\n", settled,
           passes, n_jobs);
    printf("fund paid (checksum)   %lld fen, scope %lld\n", (long long)paid,
           (long long)scope);
    printf("settlements/s          %.0f\n", rate);
    printf("catalogue-only visits/s %.0f\n", lookup_rate);
    printf("RESULT settle_rate %.0f settlements/s\n", rate);
    printf("RESULT settle_us %.3f us/settlement\n", 1e6 / rate);
    printf("RESULT lookup_only_rate %.0f visits/s\n", lookup_rate);
    printf("RESULT settle_vs_lookup_ratio %.3f ratio\n", rate / lookup_rate);
    yb_arena_free(&work);
    yb_arena_free(&keep);
    yb_catalogue_free(&cat);
    yb_policy_free(p);
    free(acc);
    free(jobs);
    free(entries);
    free(codes);
    free(text);
    return 0;
}
