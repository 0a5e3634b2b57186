/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Name tables of the synthetic region: surnames with rough frequencies,
 * given-name characters by gender and generation, syllables for place
 * names, province names (GB/T 2260), ethnicity codes (GB 3304) with a mix
 * per province, the counties of a few real prefectures with their codes and
 * rough populations, and places elsewhere for out-of-region care and for
 * residence-permit holders. These are facts or plausible inventions; no
 * person generated from them is real.
 */
#include <string.h>

#include "synth_int.h"
#include "yibao/region.h"

struct wname {
    const char *s;
    int w;
};

/* Common surnames, weights roughly per mille of the population. */
static const struct wname surnames[] = {
    {"王", 72},  {"李", 72},  {"张", 68}, {"刘", 54}, {"陈", 47}, {"杨", 33},
    {"黄", 23},  {"赵", 22},  {"吴", 20}, {"周", 19}, {"徐", 16}, {"孙", 15},
    {"马", 15},  {"朱", 14},  {"胡", 13}, {"郭", 13}, {"何", 12}, {"高", 12},
    {"林", 12},  {"罗", 11},  {"郑", 10}, {"梁", 10}, {"谢", 8},  {"宋", 8},
    {"唐", 8},   {"许", 7},   {"韩", 7},  {"冯", 7},  {"邓", 7},  {"曹", 7},
    {"彭", 6},   {"曾", 6},   {"肖", 6},  {"田", 6},  {"董", 6},  {"袁", 5},
    {"潘", 5},   {"于", 5},   {"蒋", 5},  {"蔡", 5},  {"余", 5},  {"杜", 5},
    {"叶", 5},   {"程", 5},   {"苏", 4},  {"魏", 4},  {"吕", 4},  {"丁", 4},
    {"任", 4},   {"沈", 4},   {"姚", 4},  {"卢", 4},  {"姜", 4},  {"崔", 4},
    {"钟", 3},   {"谭", 3},   {"陆", 3},  {"汪", 3},  {"范", 3},  {"金", 3},
    {"石", 3},   {"廖", 3},   {"贾", 3},  {"夏", 3},  {"韦", 3},  {"付", 3},
    {"方", 3},   {"白", 3},   {"邹", 3},  {"孟", 3},  {"熊", 3},  {"秦", 3},
    {"邱", 3},   {"江", 3},   {"尹", 3},  {"薛", 2},  {"闫", 2},  {"段", 2},
    {"雷", 2},   {"侯", 2},   {"龙", 2},  {"史", 2},  {"陶", 2},  {"黎", 2},
    {"贺", 2},   {"顾", 2},   {"毛", 2},  {"郝", 2},  {"龚", 2},  {"邵", 2},
    {"万", 2},   {"钱", 2},   {"严", 2},  {"覃", 2},  {"武", 2},  {"戴", 2},
    {"莫", 2},   {"孔", 2},   {"向", 2},  {"汤", 2},  {"普", 1},  {"欧阳", 1},
    {"诸葛", 1}, {"司马", 1},
};

/* Given-name characters: [gender][generation], generation 0 born before
 * 1975, 1 after. */
static const char *const given_m_old[] = {
    "建", "国", "军", "明", "华", "平", "德", "文", "志", "勇", "强", "伟",
    "忠", "福", "林", "成", "永", "祥", "兴", "海", "荣", "贵", "春", "宝",
    "金", "生", "正", "光", "民", "学", "清", "树", "云", "庆", "红", "东",
};
static const char *const given_m_new[] = {
    "浩", "宇", "轩", "杰", "涛", "磊", "鹏", "俊", "博", "辰", "子", "睿",
    "泽", "晨", "航", "阳", "凯", "帅", "鑫", "昊", "然", "铭", "嘉", "翔",
    "文", "毅", "逸", "哲", "宸", "锦", "天", "一", "星", "硕", "健", "霖",
};
static const char *const given_f_old[] = {
    "秀", "英", "桂", "兰", "珍", "芳", "玉", "凤", "琴", "梅", "华", "丽",
    "淑", "翠", "春", "红", "霞", "萍", "燕", "琼", "云", "芬", "菊", "莲",
    "美", "素", "香", "敏", "静", "月", "巧", "彩", "爱", "金", "慧", "荣",
};
static const char *const given_f_new[] = {
    "婷", "雪", "倩", "颖", "欣", "悦", "怡", "佳", "琳", "涵", "萱", "梓",
    "诗", "雨", "思", "梦", "晨", "瑶", "妍", "可", "馨", "晴", "月", "彤",
    "一", "诺", "语", "嘉", "璐", "静", "丹", "蕾", "茜", "菲", "琪", "洁",
};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const place_a[] = {
    "大", "小", "新", "老", "上", "下", "东", "西", "南", "北", "中", "前",
    "后", "高", "长", "青", "白", "黑", "红", "黄", "金", "石", "龙", "凤",
    "马", "牛", "羊", "桃", "李", "杨", "柳", "松", "竹", "梅", "花", "河",
    "沙", "清", "和", "安", "平", "太", "三", "双", "官", "鸡", "狮", "象",
};
static const char *const place_b[] = {
    "山", "河", "坝", "营", "庄", "沟", "湾", "岭", "坡", "田", "塘", "冲",
    "箐", "哨", "寨", "屯", "桥", "铺", "街", "园", "场", "林", "井", "村",
    "溪", "滩", "甸", "川", "岩", "口", "门", "水", "湖", "平", "阳", "城",
};

const char *yb__synth_surname(struct yb__rng *r)
{
    int64_t total = 0, at;

    for (int i = 0; i < COUNT(surnames); i++)
        total += surnames[i].w;
    at = (int64_t)yb__rng_below(r, (uint32_t)total);
    for (int i = 0; i < COUNT(surnames); i++) {
        if (at < surnames[i].w)
            return surnames[i].s;
        at -= surnames[i].w;
    }
    return surnames[0].s;
}

void yb__synth_given(struct yb__rng *r, int gend, int birth_year, char *buf,
                     size_t size)
{
    const char *const *t;
    int n;
    bool old = birth_year < 1975;

    if (gend == 1) {
        t = old ? given_m_old : given_m_new;
        n = old ? COUNT(given_m_old) : COUNT(given_m_new);
    } else {
        t = old ? given_f_old : given_f_new;
        n = old ? COUNT(given_f_old) : COUNT(given_f_new);
    }
    /* About one name in five has a single character. */
    if (yb__rng_chance(r, 2000))
        snprintf(buf, size, "%s", t[yb__rng_below(r, (uint32_t)n)]);
    else
        snprintf(buf, size, "%s%s", t[yb__rng_below(r, (uint32_t)n)],
                 t[yb__rng_below(r, (uint32_t)n)]);
}

void yb__synth_place(struct yb__rng *r, const char *suffix, char *buf,
                     size_t size)
{
    snprintf(buf, size, "%s%s%s",
             place_a[yb__rng_below(r, (uint32_t)COUNT(place_a))],
             place_b[yb__rng_below(r, (uint32_t)COUNT(place_b))], suffix);
}

static const struct {
    int pp;
    const char *name;
} provinces[] = {
    {11, "北京市"},           {12, "天津市"},         {13, "河北省"},
    {14, "山西省"},           {15, "内蒙古自治区"},   {21, "辽宁省"},
    {22, "吉林省"},           {23, "黑龙江省"},       {31, "上海市"},
    {32, "江苏省"},           {33, "浙江省"},         {34, "安徽省"},
    {35, "福建省"},           {36, "江西省"},         {37, "山东省"},
    {41, "河南省"},           {42, "湖北省"},         {43, "湖南省"},
    {44, "广东省"},           {45, "广西壮族自治区"}, {46, "海南省"},
    {50, "重庆市"},           {51, "四川省"},         {52, "贵州省"},
    {53, "云南省"},           {54, "西藏自治区"},     {61, "陕西省"},
    {62, "甘肃省"},           {63, "青海省"},         {64, "宁夏回族自治区"},
    {65, "新疆维吾尔自治区"}, {71, "台湾省"},         {81, "香港特别行政区"},
    {82, "澳门特别行政区"},
};

const char *yb__synth_province(int pp)
{
    for (int i = 0; i < COUNT(provinces); i++)
        if (provinces[i].pp == pp)
            return provinces[i].name;
    return NULL;
}

/* GB 3304 codes: 01 汉 03 回 06 苗 07 彝 14 白 16 哈尼 18 傣 20 傈僳 for
 * Yunnan; 01 汉 02 蒙古 03 回 08 壮 10 朝鲜 11 满 15 土家 elsewhere. */
static const char *const naty_yn[] = {"01", "07", "03", "06",
                                      "14", "16", "18", "20"};
static const int naty_yn_w[] = {8600, 600, 300, 200, 150, 60, 50, 40};
static const char *const naty_cn[] = {"01", "02", "03", "08", "10", "11", "15"};
static const int naty_cn_w[] = {9400, 80, 150, 100, 50, 120, 100};

const char *yb__synth_naty(struct yb__rng *r, int pp)
{
    if (pp == 53)
        return naty_yn[yb__rng_weighted(r, naty_yn_w, COUNT(naty_yn_w))];
    return naty_cn[yb__rng_weighted(r, naty_cn_w, COUNT(naty_cn_w))];
}

/* Real prefectures: codes (GB/T 2260, as of 2020) and the 2020 census
 * population in 10,000s, rounded. */
struct known {
    const char *code;
    const char *name;
    struct {
        const char *code, *name;
        int weight;
        bool urban;
    } c[16];
};

static const struct known known[] = {
    {"530100",
     "昆明市",
     {{"530102", "五华区", 114, true},
      {"530103", "盘龙区", 99, true},
      {"530111", "官渡区", 160, true},
      {"530112", "西山区", 95, true},
      {"530113", "东川区", 26, false},
      {"530114", "呈贡区", 65, true},
      {"530115", "晋宁区", 35, false},
      {"530124", "富民县", 15, false},
      {"530125", "宜良县", 43, false},
      {"530126", "石林彝族自治县", 25, false},
      {"530127", "嵩明县", 43, false},
      {"530128", "禄劝彝族苗族自治县", 40, false},
      {"530129", "寻甸回族彝族自治县", 46, false},
      {"530181", "安宁市", 48, false}}},
    {"330200",
     "宁波市",
     {{"330203", "海曙区", 105, true},
      {"330205", "江北区", 48, true},
      {"330206", "北仑区", 83, true},
      {"330211", "镇海区", 51, true},
      {"330212", "鄞州区", 161, true},
      {"330213", "奉化区", 58, false},
      {"330225", "象山县", 57, false},
      {"330226", "宁海县", 70, false},
      {"330281", "余姚市", 125, false},
      {"330282", "慈溪市", 183, false}}},
    {"220100",
     "长春市",
     {{"220102", "南关区", 70, true},
      {"220103", "宽城区", 70, true},
      {"220104", "朝阳区", 100, true},
      {"220105", "二道区", 50, true},
      {"220106", "绿园区", 80, true},
      {"220112", "双阳区", 35, false},
      {"220113", "九台区", 60, false},
      {"220122", "农安县", 90, false},
      {"220182", "榆树市", 100, false},
      {"220183", "德惠市", 70, false},
      {"220184", "公主岭市", 90, false}}},
};

/* Any other prefecture: three districts, five counties and a county-level
 * city with synthetic names. */
static int synthetic_counties(const char *pref, struct yb__county_def *defs)
{
    static const struct {
        const char *suffix, *name;
        int weight;
        bool urban;
    } shape[] = {
        {"02", "第一区", 90, true},  {"03", "第二区", 80, true},
        {"11", "第三区", 70, true},  {"21", "第一县", 40, false},
        {"22", "第二县", 35, false}, {"23", "第三县", 30, false},
        {"24", "第四县", 30, false}, {"25", "第五县", 25, false},
        {"81", "第一市", 50, false},
    };

    for (int i = 0; i < COUNT(shape); i++) {
        snprintf(defs[i].code, sizeof defs[i].code, "%.4s%s", pref,
                 shape[i].suffix);
        snprintf(defs[i].name, sizeof defs[i].name, "%s", shape[i].name);
        defs[i].weight = shape[i].weight;
        defs[i].urban = shape[i].urban;
    }
    return COUNT(shape);
}

int yb__synth_counties(const char *prefecture, struct yb__county_def *defs,
                       const char **name, char *name_buf, size_t size)
{
    for (int k = 0; k < COUNT(known); k++) {
        int n = 0;

        if (strcmp(known[k].code, prefecture) != 0)
            continue;
        for (; n < 16 && known[k].c[n].code != NULL; n++) {
            snprintf(defs[n].code, sizeof defs[n].code, "%s",
                     known[k].c[n].code);
            snprintf(defs[n].name, sizeof defs[n].name, "%s",
                     known[k].c[n].name);
            defs[n].weight = known[k].c[n].weight;
            defs[n].urban = known[k].c[n].urban;
        }
        *name = known[k].name;
        return n;
    }
    snprintf(name_buf, size, "统筹区%s", prefecture);
    *name = name_buf;
    return synthetic_counties(prefecture, defs);
}

/* Counties elsewhere (GB/T 2260): where people come from and where they
 * go for care. */
static const char *const elsewhere[] = {
    "530302", "532301", "530402", "532501", "533102", /* Yunnan */
    "330102", "330106", "330302", "330481",           /* Zhejiang */
    "220202", "220302", "222401",                     /* Jilin */
    "510107", "511302", "500101", "520102", "522601", "430102",
    "410102", "420106", "440106", "110105", "310104", "450102",
};

const char *yb__synth_elsewhere(struct yb__rng *r, const char *region,
                                bool same_province)
{
    const char *fit[COUNT(elsewhere)];
    int n = 0;

    for (int i = 0; i < COUNT(elsewhere); i++) {
        if (yb_region_contains(region, elsewhere[i]))
            continue;
        if (yb_region_same_province(region, elsewhere[i]) == same_province)
            fit[n++] = elsewhere[i];
    }
    return n == 0 ? NULL : fit[yb__rng_below(r, (uint32_t)n)];
}
