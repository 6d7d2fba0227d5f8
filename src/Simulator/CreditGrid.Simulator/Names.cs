namespace CreditGrid.Simulator;

/// <summary>
/// Plausible Chinese subject names: city + generated trade word + industry + legal form for enterprises
/// (西安市瑞丰科技有限公司), county-qualified names for individual businesses and government bodies.
/// </summary>
/// <remarks>
/// Each name takes exactly as many draws from the province's random source as the names of earlier versions did,
/// so a seed still yields the same codes; everything added since comes from a separate name source.
/// </remarks>
internal static class Names
{
    private static readonly string[] WordCharacters = Characters(
        "秦川长安华岳终南渭河汉江丝路鼎盛恒信宏远嘉禾瑞丰金桥天成博远兴润泽安泰明德新锐启航腾达永昌裕丰弘毅卓越致远佳乐顺和康宁");
    private static readonly string[] Trades = ["建设工程", "食品", "商贸", "物流", "科技", "餐饮管理", "医药", "机械制造", "新材料", "农业开发", "文化传媒", "电子", "化工", "能源", "软件"];
    private static readonly string[] ShopTrades = ["小吃店", "便利店", "五金店", "服装店", "理发店", "烟酒店", "日用品店", "水果店", "维修部", "面馆"];
    private static readonly string[] Forms = ["有限公司", "有限责任公司", "股份有限公司"];
    private static readonly string[] Bodies = ["市场监督管理局", "税务局", "人力资源和社会保障局", "生态环境局", "住房和城乡建设局", "交通运输局", "教育局", "卫生健康委员会", "应急管理局", "自然资源局"];
    private static readonly string[] Surnames = Characters("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗");
    private static readonly string[] GivenCharacters = Characters("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华");

    /// <summary>An enterprise or an individual business; some individual businesses trade under the operator's own name.</summary>
    public static string Enterprise(Random random, Random names, string city, string county, bool individual)
    {
        var word = Word(random, names);
        if (individual)
        {
            _ = random.Next();
            return names.NextDouble() < 0.2 ? PersonalName(names) : $"{county}{word}{Pick(names, ShopTrades)}";
        }

        var trade = Pick(random, Trades);
        return $"{city}{word}{trade}{Pick(random, Forms)}";
    }

    public static string GovernmentBody(Random random, string place, bool institution) =>
        institution ? $"{place}{Pick(random, Bodies).Replace("局", "")}服务中心" : $"{place}{Pick(random, Bodies)}";

    // Two characters: the first from the province's source, the second from the name source.
    private static string Word(Random random, Random names) => Pick(random, WordCharacters) + Pick(names, WordCharacters);

    private static string PersonalName(Random names) =>
        Pick(names, Surnames) + Pick(names, GivenCharacters) + (names.NextDouble() < 0.6 ? Pick(names, GivenCharacters) : "");

    private static string[] Characters(string characters) => [.. characters.Select(c => c.ToString())];

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
