namespace CreditGrid.Simulator;

/// <summary>Plausible Chinese enterprise names: place + brand + trade + form.</summary>
internal static class Names
{
    private static readonly string[] Brands = ["秦川", "长安", "华岳", "终南", "渭河", "汉江", "丝路", "鼎盛", "恒信", "宏远", "嘉禾", "瑞丰", "金桥", "天成", "博远", "兴盛", "润泽", "安泰", "明德", "新锐"];
    private static readonly string[] Trades = ["建设工程", "食品", "商贸", "物流", "科技", "餐饮管理", "医药", "机械制造", "新材料", "农业开发", "文化传媒", "电子", "化工", "能源", "软件"];
    private static readonly string[] Forms = ["有限公司", "有限责任公司", "股份有限公司"];
    private static readonly string[] Bodies = ["市场监督管理局", "税务局", "人力资源和社会保障局", "生态环境局", "住房和城乡建设局", "交通运输局", "教育局", "卫生健康委员会", "应急管理局", "自然资源局"];

    public static string Enterprise(Random random, string place, bool individual) =>
        individual
            ? $"{place}{Pick(random, Brands)}{Pick(random, Trades)}店"
            : $"{place}{Pick(random, Brands)}{Pick(random, Trades)}{Pick(random, Forms)}";

    public static string GovernmentBody(Random random, string place, bool institution) =>
        institution ? $"{place}{Pick(random, Bodies).Replace("局", "")}服务中心" : $"{place}{Pick(random, Bodies)}";

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
