/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The item families of the synthetic catalogue: drug generic names with
 * their ATC class, Chinese patent medicines, herbal pieces, medical
 * services and consumables, each with a typical unit price range (fen),
 * the settings that use it (outpatient, inpatient, chronic disease,
 * maternity, ...), the dosage forms a drug comes in, and the gender and
 * age restrictions of the few restricted ones. Prices are plausible
 * orders of magnitude, not any region's price list; codes built from these
 * tags have the national shapes but are not real codes.
 */
#include "synth_int.h"

#define OUT YB__T_OUT
#define INP YB__T_INP
#define PED YB__T_PED
#define I10 YB__T_I10
#define E11 YB__T_E11
#define EXAM YB__T_EXAM
#define BED YB__T_BED
#define NURSE YB__T_NURSE
#define DELV YB__T_DELV
#define DELC YB__T_DELC
#define MAT YB__T_MAT
#define SURG YB__T_SURG
#define PHARM YB__T_PHARM
#define ER YB__T_ER

/* dosage forms (bits of yb__family.forms; table in synth_catalogue.c) */
#define TAB 1
#define CAP 2
#define SR 4
#define GRA 8
#define INJ 16
#define PWD 32
#define SOL 64
#define ORAL (TAB | CAP)

/* drug, drug with restrictions, herbal piece, service, consumable */
#define D(n, t, lo, hi, tags, f)                                               \
    {                                                                          \
        n, 0, t, lo, hi, tags, f, 0, -1, -1                                    \
    }
#define DR(n, t, lo, hi, tags, f, g, a0, a1)                                   \
    {                                                                          \
        n, 0, t, lo, hi, tags, f, g, a0, a1                                    \
    }
#define H(n, lo, hi)                                                           \
    {                                                                          \
        n, 1, "", lo, hi, OUT | INP | PHARM, 0, 0, -1, -1                      \
    }
#define S(n, t, lo, hi, tags)                                                  \
    {                                                                          \
        n, 2, t, lo, hi, tags, 0, 0, -1, -1                                    \
    }
#define SR_(n, t, lo, hi, tags, g)                                             \
    {                                                                          \
        n, 2, t, lo, hi, tags, 0, g, -1, -1                                    \
    }
#define C(n, t, lo, hi, tags)                                                  \
    {                                                                          \
        n, 3, t, lo, hi, tags, 0, 0, -1, -1                                    \
    }

const struct yb__family yb__families[] = {
    /* ---- western drugs (101, codes X…) ---- */
    D("奥美拉唑", "XA02BC", 500, 4000, OUT | INP | PHARM, ORAL | PWD),
    D("泮托拉唑", "XA02BC", 1500, 8000, INP, PWD),
    D("雷贝拉唑", "XA02BC", 1000, 6000, OUT, TAB),
    D("铝碳酸镁", "XA02AD", 800, 3000, OUT | PHARM, TAB),
    D("莫沙必利", "XA03FA", 1000, 3500, OUT, TAB),
    D("蒙脱石散", "XA07BC", 600, 2000, OUT | PED | PHARM, 0),
    D("口服补液盐散", "XA07CA", 200, 1000, OUT | PED | PHARM, 0),
    D("乳果糖", "XA06AD", 1500, 4000, OUT, SOL),
    D("二甲双胍", "XA10BA", 300, 3000, OUT | E11 | PHARM, TAB | SR),
    D("格列美脲", "XA10BB", 800, 4000, E11, TAB),
    D("格列齐特", "XA10BB", 800, 3500, E11, TAB | SR),
    D("阿卡波糖", "XA10BF", 1500, 6000, E11, TAB),
    D("西格列汀", "XA10BH", 3000, 12000, E11, TAB),
    D("门冬胰岛素", "XA10AB", 4000, 9000, E11 | INP, INJ),
    D("甘精胰岛素", "XA10AE", 8000, 20000, E11, INJ),
    D("维生素B1", "XA11DA", 100, 800, OUT | PHARM, TAB),
    D("维生素D滴剂", "XA11CC", 1500, 4000, PED | OUT, 0),
    D("葡萄糖酸钙", "XA12AA", 300, 2000, OUT | PED | PHARM, SOL | INJ),
    D("阿司匹林", "XB01AC", 500, 2000, OUT | I10 | PHARM, TAB),
    D("氯吡格雷", "XB01AC", 1500, 12000, I10 | INP, TAB),
    D("华法林", "XB01AA", 500, 2000, OUT, TAB),
    D("依诺肝素", "XB01AB", 2000, 8000, INP, INJ),
    D("硫酸亚铁", "XB03AA", 300, 1500, OUT | MAT, TAB),
    D("氯化钠注射液", "XB05XA", 150, 600, INP | ER | MAT, 0),
    D("葡萄糖注射液", "XB05BA", 150, 600, INP | ER | MAT, 0),
    D("复方氯化钠注射液", "XB05BB", 200, 800, INP | ER, 0),
    D("地高辛", "XC01AA", 300, 1500, INP, TAB | INJ),
    D("单硝酸异山梨酯", "XC01DA", 800, 4000, OUT | I10 | INP, TAB | SR),
    D("硝酸甘油", "XC01DA", 500, 2500, ER | INP, TAB | INJ),
    D("氢氯噻嗪", "XC03AA", 200, 1000, I10, TAB),
    D("呋塞米", "XC03CA", 200, 1500, INP | ER, TAB | INJ),
    D("螺内酯", "XC03DA", 300, 1500, I10 | INP, TAB),
    D("美托洛尔", "XC07AB", 500, 3000, I10 | OUT, TAB | SR),
    D("比索洛尔", "XC07AB", 800, 3500, I10, TAB),
    D("硝苯地平", "XC08CA", 500, 4000, I10 | OUT | PHARM, TAB | SR),
    D("氨氯地平", "XC08CA", 300, 3500, I10 | OUT | PHARM, TAB),
    D("非洛地平", "XC08CA", 800, 4000, I10, SR),
    D("卡托普利", "XC09AA", 200, 1200, I10 | ER, TAB),
    D("依那普利", "XC09AA", 400, 2500, I10, TAB),
    D("贝那普利", "XC09AA", 1000, 4000, I10, TAB),
    D("氯沙坦", "XC09CA", 1000, 5000, I10, TAB),
    D("缬沙坦", "XC09CA", 1000, 5000, I10, CAP),
    D("厄贝沙坦", "XC09CA", 800, 4500, I10, TAB),
    D("替米沙坦", "XC09CA", 800, 4500, I10, TAB),
    D("阿托伐他汀", "XC10AA", 600, 6000, I10 | E11 | OUT, TAB),
    D("瑞舒伐他汀", "XC10AA", 600, 6000, I10 | E11, TAB),
    D("莫匹罗星软膏", "XD06AX", 1000, 2500, OUT | PHARM, 0),
    D("炉甘石洗剂", "XD04AX", 300, 1200, OUT | PED | PHARM, 0),
    DR("甲硝唑阴道泡腾片", "XG01AF", 800, 2500, OUT, 0, 2, 14, -1),
    DR("克霉唑阴道片", "XG01AF", 800, 3000, OUT | PHARM, 0, 2, 14, -1),
    DR("黄体酮", "XG03DA", 1500, 6000, MAT | OUT, CAP | INJ, 2, 14, 55),
    DR("坦索罗辛", "XG04CA", 2000, 6000, OUT, SR, 1, 18, -1),
    DR("非那雄胺", "XG04CB", 2000, 8000, OUT, TAB, 1, 18, -1),
    DR("缩宫素注射液", "XH01BB", 200, 1500, MAT, 0, 2, 14, 55),
    D("地塞米松", "XH02AB", 100, 800, ER | INP | OUT, TAB | INJ),
    D("泼尼松", "XH02AB", 200, 1000, OUT, TAB),
    D("左甲状腺素", "XH03AA", 1500, 4000, OUT, TAB),
    D("阿莫西林", "XJ01CA", 300, 2500, OUT | PED | PHARM, CAP | GRA),
    D("阿莫西林克拉维酸钾", "XJ01CR", 1200, 5000, OUT | PED, TAB | GRA),
    D("头孢呋辛", "XJ01DC", 800, 5000, OUT | INP, TAB | PWD),
    D("头孢曲松", "XJ01DD", 500, 6000, INP | ER, PWD),
    D("头孢克肟", "XJ01DD", 1200, 5000, OUT | PED, CAP | GRA),
    D("头孢唑林", "XJ01DB", 500, 3000, INP | SURG | MAT, PWD),
    D("阿奇霉素", "XJ01FA", 800, 4500, OUT | PED | INP, TAB | GRA | PWD),
    DR("左氧氟沙星", "XJ01MA", 800, 5000, OUT | INP, TAB | INJ, 0, 18, -1),
    DR("莫西沙星", "XJ01MA", 2000, 8000, INP, TAB | INJ, 0, 18, -1),
    D("奥司他韦", "XJ05AH", 2500, 9000, OUT | PED, CAP | GRA),
    D("恩替卡韦", "XJ05AF", 1000, 20000, OUT, TAB),
    D("甲氨蝶呤", "XL01BA", 1000, 6000, INP, TAB | INJ),
    D("紫杉醇", "XL01CD", 20000, 200000, INP, INJ),
    D("奥沙利铂", "XL01XA", 20000, 150000, INP, PWD),
    D("吉非替尼", "XL01EB", 50000, 250000, INP, TAB),
    DR("他莫昔芬", "XL02BA", 1000, 5000, OUT, TAB, 2, 18, -1),
    D("布洛芬", "XM01AE", 300, 2500, OUT | PED | PHARM | ER, SR | GRA | SOL),
    D("双氯芬酸", "XM01AB", 500, 3000, OUT | PHARM, TAB | SR),
    D("塞来昔布", "XM01AH", 1500, 6000, OUT, CAP),
    D("别嘌醇", "XM04AA", 300, 1500, OUT, TAB),
    D("利多卡因", "XN01BB", 100, 800, SURG | ER | INP, INJ),
    D("丙泊酚", "XN01AX", 1500, 6000, SURG, INJ),
    D("对乙酰氨基酚", "XN02BE", 200, 2000, OUT | PED | PHARM, TAB | SOL),
    D("曲马多", "XN02AX", 800, 3000, INP, SR | INJ),
    D("卡马西平", "XN03AF", 500, 2000, OUT, TAB),
    D("丙戊酸钠", "XN03AG", 1000, 5000, OUT, SR | SOL),
    D("左乙拉西坦", "XN03AX", 3000, 15000, OUT, TAB),
    D("多巴丝肼", "XN04BA", 2000, 8000, OUT, TAB),
    D("奥氮平", "XN05AH", 1000, 10000, OUT, TAB),
    D("艾司唑仑", "XN05CD", 100, 800, OUT | INP, TAB),
    D("舍曲林", "XN06AB", 2000, 8000, OUT, TAB),
    D("多奈哌齐", "XN06DA", 2000, 10000, OUT, TAB),
    D("沙丁胺醇", "XR03AC", 1000, 3500, OUT | PED | ER, SOL),
    D("布地奈德", "XR03BA", 2000, 9000, OUT | PED | INP, SOL),
    D("噻托溴铵", "XR03BB", 5000, 20000, OUT | INP, CAP),
    D("孟鲁司特", "XR03DC", 2000, 8000, OUT | PED, TAB | GRA),
    D("氨溴索", "XR05CB", 500, 3000, OUT | INP | PED | PHARM, TAB | SOL | INJ),
    D("氯雷他定", "XR06AX", 500, 3000, OUT | PHARM, TAB),
    D("西替利嗪", "XR06AE", 500, 3000, OUT | PED | PHARM, TAB | SOL),
    D("左氧氟沙星滴眼液", "XS01AE", 800, 2500, OUT | PHARM, 0),
    D("玻璃酸钠滴眼液", "XS01XA", 1500, 5000, OUT, 0),
    DR("小儿氨酚黄那敏颗粒", "XN02BE", 500, 2000, OUT | PED | PHARM, 0, 0, -1,
       14),
    DR("小儿布洛芬栓", "XM01AE", 800, 2500, PED | OUT, 0, 0, -1, 12),
    /* ---- Chinese patent medicines (101, codes Z…) ---- */
    D("复方丹参滴丸", "ZA12BA", 1500, 4000, I10 | OUT, 0),
    D("连花清瘟胶囊", "ZA01AB", 1000, 3000, OUT | PHARM, 0),
    D("板蓝根颗粒", "ZA01AA", 500, 2000, OUT | PED | PHARM, 0),
    D("六味地黄丸", "ZA14DA", 800, 3000, OUT | PHARM, 0),
    D("藿香正气水", "ZA03AA", 300, 1500, OUT | PHARM, 0),
    D("安宫牛黄丸", "ZA08AA", 30000, 80000, ER | INP, 0),
    D("银翘解毒片", "ZA01AB", 300, 1500, OUT | PHARM, 0),
    D("清开灵注射液", "ZA08AB", 500, 2500, INP, 0),
    D("血塞通注射液", "ZA12DA", 1000, 6000, INP, 0),
    D("云南白药胶囊", "ZA11BA", 2000, 5000, OUT | PHARM | ER, 0),
    D("三七通舒胶囊", "ZA12DA", 2000, 6000, OUT, 0),
    D("灯盏花素片", "ZA12DB", 1000, 4000, OUT | I10, 0),
    D("感冒清热颗粒", "ZA01AA", 500, 2000, OUT | PHARM, 0),
    D("牛黄解毒片", "ZA05AA", 200, 1000, OUT | PHARM, 0),
    D("双黄连口服液", "ZA01AB", 800, 3000, OUT | PED, 0),
    D("脑心通胶囊", "ZA12DC", 2000, 6000, OUT | I10, 0),
    D("丹红注射液", "ZA12DD", 2000, 8000, INP, 0),
    D("参麦注射液", "ZA14BA", 1500, 6000, INP, 0),
    D("通心络胶囊", "ZA12DC", 2500, 7000, OUT | I10, 0),
    D("麝香保心丸", "ZA12BB", 2500, 6000, OUT | I10, 0),
    DR("小儿豉翘清热颗粒", "ZA01AC", 1500, 4000, OUT | PED, 0, 0, -1, 14),
    DR("益母草颗粒", "ZA13AA", 500, 2000, MAT | OUT, 0, 2, 14, 55),
    D("消渴丸", "ZA14EA", 1500, 4000, E11, 0),
    D("天麻钩藤颗粒", "ZA14FA", 1500, 4000, I10, 0),
    D("金水宝胶囊", "ZA14BB", 3000, 8000, OUT, 0),
    /* ---- herbal pieces (102, per gram) ---- */
    H("黄芪", 3, 8),
    H("当归", 8, 20),
    H("党参", 8, 20),
    H("甘草", 3, 8),
    H("茯苓", 3, 8),
    H("白术", 5, 12),
    H("川芎", 4, 10),
    H("三七粉", 80, 300),
    H("枸杞子", 6, 15),
    H("金银花", 15, 40),
    H("陈皮", 3, 8),
    H("法半夏", 8, 20),
    H("白芍", 4, 10),
    H("熟地黄", 4, 10),
    H("丹参", 3, 8),
    H("红花", 15, 40),
    H("桃仁", 8, 20),
    H("柴胡", 10, 25),
    H("黄连", 20, 50),
    H("麦冬", 10, 25),
    H("天麻", 50, 150),
    H("石斛", 60, 200),
    H("山药", 3, 8),
    H("薏苡仁", 2, 6),
    H("菊花", 6, 15),
    /* ---- medical services (201) ---- */
    S("普通门诊诊查费", "110200001", 300, 1000, EXAM),
    S("副主任医师诊查费", "110200002", 800, 2000, EXAM),
    S("主任医师诊查费", "110200003", 1200, 3000, EXAM),
    S("急诊诊查费", "110300001", 500, 1500, EXAM | ER),
    S("普通病房床位费", "110900001", 2000, 6000, BED),
    S("双人间床位费", "110900002", 3500, 8000, BED),
    S("重症监护病房床位费", "110900003", 15000, 40000, INP),
    S("一级护理", "120100002", 1500, 4000, NURSE),
    S("二级护理", "120100003", 1000, 2500, NURSE),
    S("三级护理", "120100004", 600, 1500, NURSE),
    S("静脉输液", "120400001", 500, 1500, INP | ER | OUT),
    S("肌肉注射", "120400002", 200, 800, OUT | ER | PED),
    S("换药", "120800001", 1000, 4000, INP | SURG | OUT),
    S("雾化吸入", "120400003", 500, 1500, OUT | PED | INP),
    S("吸氧", "120900001", 300, 1000, INP | ER),
    S("心电监护", "310701001", 500, 2000, INP | ER),
    S("常规心电图检查", "310701002", 1500, 4000, OUT | ER | INP | I10),
    S("血常规", "250101001", 1200, 2500, OUT | INP | PED | ER | MAT),
    S("尿常规", "250102001", 500, 1500, OUT | INP | MAT),
    S("肝功能测定", "250305001", 3000, 8000, INP | OUT),
    S("肾功能测定", "250307001", 2000, 6000, INP | E11 | I10),
    S("血糖测定", "250302001", 500, 1200, E11 | OUT | INP),
    S("糖化血红蛋白测定", "250302002", 5000, 9000, E11),
    S("血脂测定", "250303001", 3000, 7000, I10 | E11),
    S("C反应蛋白测定", "250401001", 2000, 5000, OUT | PED | INP),
    S("X线胸部摄影", "210102001", 6000, 12000, OUT | INP | ER),
    S("CT平扫", "210300001", 15000, 35000, INP | ER),
    S("CT增强扫描", "210300002", 30000, 60000, INP),
    S("磁共振平扫", "210400001", 40000, 90000, INP),
    S("彩色多普勒超声检查", "220201001", 10000, 25000, OUT | INP | MAT),
    SR_("胎心监测", "220201002", 1000, 3000, MAT, 2),
    S("胃镜检查", "310902001", 20000, 50000, INP),
    S("针刺", "430000001", 2000, 5000, OUT),
    S("推拿治疗", "450000001", 3000, 8000, OUT),
    S("清创缝合术", "331501001", 5000, 20000, ER | SURG),
    S("阑尾切除术", "331003001", 80000, 150000, SURG),
    S("胆囊切除术", "331005001", 150000, 300000, SURG),
    S("白内障超声乳化摘除术", "330500001", 150000, 300000, SURG),
    S("人工髋关节置换术", "331506001", 300000, 600000, SURG),
    S("经皮冠状动脉支架置入术", "330802001", 300000, 600000, SURG),
    S("全身麻醉", "330100001", 50000, 150000, SURG),
    SR_("单胎顺产接生", "331400001", 50000, 100000, DELV, 2),
    SR_("剖宫产术", "331400002", 100000, 200000, DELC, 2),
    S("新生儿护理", "120100005", 1000, 3000, MAT),
    /* ---- consumables (301) ---- */
    C("一次性使用输液器", "02", 200, 800, INP | ER | OUT),
    C("一次性使用无菌注射器", "02", 50, 300, OUT | INP | ER | PED),
    C("静脉留置针", "02", 800, 3000, INP | MAT),
    C("医用脱脂纱布", "14", 100, 800, INP | SURG | ER),
    C("医用胶带", "14", 200, 1000, INP),
    C("一次性使用导尿管", "04", 800, 3000, INP | SURG | MAT),
    C("可吸收缝合线", "13", 3000, 15000, SURG | ER | MAT),
    C("一次性吸氧管", "05", 300, 1500, INP | ER),
    C("引流管", "04", 1500, 8000, SURG),
    C("中心静脉导管", "02", 50000, 150000, INP),
    C("冠状动脉药物洗脱支架", "06", 300000, 1000000, SURG),
    C("人工髋关节假体", "10", 500000, 2000000, SURG),
    C("人工晶状体", "12", 80000, 400000, SURG),
    C("吻合器", "13", 150000, 500000, SURG),
    C("骨科内固定钢板", "10", 100000, 500000, SURG),
    C("医用外科口罩", "14", 20, 200, OUT | PHARM),
    C("血糖试纸", "09", 200, 600, E11 | PHARM),
    C("医用棉签", "14", 100, 500, PHARM | OUT),
};

const int yb__n_families = (int)(sizeof yb__families / sizeof yb__families[0]);
