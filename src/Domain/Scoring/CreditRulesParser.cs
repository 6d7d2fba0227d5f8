using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CreditGrid.Domain.Events;

namespace CreditGrid.Domain.Scoring;

/// <summary>
/// Reads the rules file through the JSON DOM rather than a serializer so that every refusal can name the exact key
/// path, and so that all problems are reported at once instead of the first one only.
/// </summary>
internal sealed partial class CreditRulesParser
{
    private static readonly string[] DimensionKeys = ["D1", "D2", "D3", "D4", "D5", "D6"];
    private static readonly string[] GradeKeys = ["A", "B", "C", "D"];
    private static readonly string[] ClassKeys = ["Minor", "General", "Serious"];
    private static readonly string[] KindKeys = ["dimension", "capPositive", "capNegative", "supersedeSameKey", "threshold", "streakMonths", "streakPoints", "majorKeys", "variants"];
    private static readonly string[] VariantKeys =
    [
        "points", "shape", "months", "publicityPeriod", "decayMonths", "serious", "capGrade", "capMonths", "maxMonths", "afterEndMonths",
        "aboveThresholdPoints", "escalateAfterMonths", "escalatedCapGrade",
    ];

    private readonly List<RulesError> errors = [];

    public static RulesParseResult Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            return new(null, [new RulesError("$", "Not valid JSON: " + ex.Message)]);
        }

        using (document)
        {
            var parser = new CreditRulesParser();
            var rules = parser.Read(document.RootElement);
            return parser.errors.Count == 0 && rules is not null ? new(rules, []) : new(null, [.. parser.errors]);
        }
    }

    [GeneratedRegex(@"^(\d{4}\.\d+|\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?)$")]
    private static partial Regex VersionPattern();

    private CreditRules? Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Error("$", "The rules file must be a JSON object.");
            return null;
        }

        RefuseUnknown(root, "", ["$schema", "version", "localUtcOffset", "dimensions", "grades", "publicity", "kinds", "supervision", "warnings"]);
        var version = String(root, "version", "version");
        if (version is not null && !VersionPattern().IsMatch(version))
        {
            Error("version", $"'{version}' is not a rules version such as 2026.1 or 1.2.0.");
        }

        var offset = TimeSpan.Zero;
        var offsetText = String(root, "localUtcOffset", "localUtcOffset");
        if (offsetText is not null && !TimeSpan.TryParse(offsetText, CultureInfo.InvariantCulture, out offset))
        {
            Error("localUtcOffset", $"'{offsetText}' is not an offset such as 08:00.");
        }

        var dimensions = ReadDimensions(root);
        var grades = ReadGrades(root, dimensions);
        var publicity = ReadPublicity(root);
        var kinds = ReadKinds(root);
        var supervision = ReadSupervision(root);
        var warnings = ReadWarnings(root);

        if (errors.Count > 0 || version is null || grades is null || publicity is null || warnings is null)
        {
            return null;
        }

        return new CreditRules(version, offset, dimensions, grades, publicity, kinds, supervision, warnings);
    }

    private ImmutableArray<DimensionRule> ReadDimensions(JsonElement root)
    {
        var builder = ImmutableArray.CreateBuilder<DimensionRule>(DimensionKeys.Length);
        if (Object(root, "dimensions", "dimensions") is not { } section)
        {
            return builder.ToImmutable();
        }

        RefuseUnknown(section, "dimensions", DimensionKeys);
        for (var i = 0; i < DimensionKeys.Length; i++)
        {
            var path = "dimensions." + DimensionKeys[i];
            if (Object(section, DimensionKeys[i], path) is not { } dim)
            {
                continue;
            }

            var max = Int(dim, "max", path + ".max") ?? 0;
            var @base = Int(dim, "base", path + ".base") ?? 0;
            if (max <= 0)
            {
                Error(path + ".max", "A dimension maximum must be positive.");
            }

            if (@base < 0 || @base > max)
            {
                Error(path + ".base", $"The base {@base} must lie within [0, {max}].");
            }

            builder.Add(new DimensionRule((Dimension)(i + 1), @base, max));
        }

        return builder.ToImmutable();
    }

    private GradeBands? ReadGrades(JsonElement root, ImmutableArray<DimensionRule> dimensions)
    {
        if (Object(root, "grades", "grades") is not { } section)
        {
            return null;
        }

        RefuseUnknown(section, "grades", ["A", "B", "C"]);
        var a = Int(section, "A", "grades.A");
        var b = Int(section, "B", "grades.B");
        var c = Int(section, "C", "grades.C");
        if (a is null || b is null || c is null)
        {
            return null;
        }

        var maxTotal = dimensions.Sum(d => d.Max);
        if (dimensions.Length == DimensionKeys.Length && a > maxTotal)
        {
            Error("grades.A", $"Grade A starts at {a}, above the highest reachable total {maxTotal}.");
        }

        if (b >= a)
        {
            Error("grades.B", "Grade B must start below grade A, or A is unreachable.");
        }

        if (c >= b)
        {
            Error("grades.C", "Grade C must start below grade B, or B is unreachable.");
        }

        if (c <= 0)
        {
            Error("grades.C", "Grade C must start above 0, or D is unreachable.");
        }

        return new GradeBands(a.Value, b.Value, c.Value);
    }

    private PublicityRules? ReadPublicity(JsonElement root)
    {
        if (Object(root, "publicity", "publicity") is not { } section)
        {
            return null;
        }

        var weight = Double(section, "unresolvedAfterMaxWeight", "publicity.unresolvedAfterMaxWeight") ?? 0;
        if (weight is < 0 or > 1)
        {
            Error("publicity.unresolvedAfterMaxWeight", "The weight must lie within [0, 1].");
        }

        var retention = NonNegative(section, "repairedRetentionMonths", "publicity.repairedRetentionMonths", required: true) ?? 0;
        var defaultClass = Enum<PublicityClass>(section, "defaultPenaltyClass", "publicity.defaultPenaltyClass") ?? PublicityClass.General;

        var classes = new Dictionary<PenaltyType, PublicityClass>();
        if (Object(section, "penaltyTypeClasses", "publicity.penaltyTypeClasses") is { } map)
        {
            foreach (var property in map.EnumerateObject())
            {
                var path = "publicity.penaltyTypeClasses." + property.Name;
                if (!System.Enum.TryParse<PenaltyType>(property.Name, ignoreCase: false, out var type) || !System.Enum.IsDefined(type))
                {
                    Error(path, $"'{property.Name}' is not a penalty type.");
                }
                else if (Enum<PublicityClass>(map, property.Name, path) is { } cls)
                {
                    classes[type] = cls;
                }
            }
        }

        var sets = ImmutableArray.CreateBuilder<PublicityRuleSet>();
        if (Array(section, "ruleSets", "publicity.ruleSets") is { } array)
        {
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var path = $"publicity.ruleSets[{index++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    Error(path, "A rule set must be an object.");
                    continue;
                }

                var id = String(item, "id", path + ".id") ?? "";
                var from = Date(item, "effectiveFrom", path + ".effectiveFrom");
                if (Object(item, "classes", path + ".classes") is not { } cls || from is null)
                {
                    continue;
                }

                RefuseUnknown(cls, path + ".classes", ClassKeys);
                var periods = ClassKeys.Select(k => ReadPeriod(cls, k, $"{path}.classes.{k}")).ToArray();
                if (periods.All(p => p is not null))
                {
                    sets.Add(new PublicityRuleSet(id, from.Value, periods[0]!, periods[1]!, periods[2]!));
                }
            }

            if (index == 0)
            {
                Error("publicity.ruleSets", "At least one dated rule set is required.");
            }
        }

        var ordered = sets.OrderBy(s => s.EffectiveFrom).ToImmutableArray();
        return new PublicityRules(weight, retention, defaultClass, classes.ToFrozenDictionary(), ordered);
    }

    private PublicityPeriod? ReadPeriod(JsonElement classes, string key, string path)
    {
        if (Object(classes, key, path) is not { } period)
        {
            return null;
        }

        var min = NonNegative(period, "minMonths", path + ".minMonths", required: true);
        var max = NonNegative(period, "maxMonths", path + ".maxMonths", required: true);
        if (min is null || max is null)
        {
            return null;
        }

        if (min > max)
        {
            Error(path + ".minMonths", "The minimum publicity period cannot exceed the maximum.");
        }

        return new PublicityPeriod(min.Value, max.Value);
    }

    private ImmutableArray<KindRule> ReadKinds(JsonElement root)
    {
        var kinds = ImmutableArray.CreateBuilder<KindRule>();
        if (Object(root, "kinds", "kinds") is not { } section)
        {
            return kinds.ToImmutable();
        }

        foreach (var property in section.EnumerateObject())
        {
            var path = "kinds." + property.Name;
            if (!EventTypes.All.Contains(property.Name))
            {
                Error(path, $"'{property.Name}' is not a known event kind.");
            }
            else if (!ScoringCatalog.Variants.ContainsKey(property.Name))
            {
                Error(path, $"'{property.Name}' changes other records but carries no score of its own.");
            }
        }

        foreach (var (eventType, expected) in ScoringCatalog.Variants.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var path = "kinds." + eventType;
            if (Object(section, eventType, path) is not { } kind)
            {
                continue;
            }

            RefuseUnknown(kind, path, KindKeys);
            var dimension = DimensionOf(kind, path + ".dimension");
            var capPositive = Int(kind, "capPositive", path + ".capPositive", required: false);
            var capNegative = Int(kind, "capNegative", path + ".capNegative", required: false);
            if (capPositive < 0)
            {
                Error(path + ".capPositive", "A positive cap cannot be negative.");
            }

            if (capNegative > 0)
            {
                Error(path + ".capNegative", "A negative cap cannot be positive.");
            }

            var supersede = Bool(kind, "supersedeSameKey") ?? false;
            var threshold = Double(kind, "threshold", path + ".threshold", required: false);
            var streakMonths = NonNegative(kind, "streakMonths", path + ".streakMonths", required: false);
            var streakPoints = Int(kind, "streakPoints", path + ".streakPoints", required: false);
            var majorKeys = kind.TryGetProperty("majorKeys", out var keys) && keys.ValueKind == JsonValueKind.Array
                ? [.. keys.EnumerateArray().Where(k => k.ValueKind == JsonValueKind.String).Select(k => k.GetString()!)]
                : ImmutableArray<string>.Empty;

            var variants = new Dictionary<string, VariantRule>(StringComparer.Ordinal);
            if (Object(kind, "variants", path + ".variants") is { } variantSection)
            {
                RefuseUnknown(variantSection, path + ".variants", expected);
                foreach (var name in expected)
                {
                    if (ReadVariant(variantSection, name, $"{path}.variants.{name}") is { } variant)
                    {
                        variants[name] = variant;
                    }
                }
            }

            kinds.Add(new KindRule(
                kinds.Count,
                eventType,
                dimension ?? Dimension.LawCompliance,
                capPositive,
                capNegative,
                supersede,
                threshold is null ? null : (decimal)threshold.Value,
                streakMonths,
                streakPoints,
                majorKeys,
                variants.ToFrozenDictionary(StringComparer.Ordinal)));
        }

        return kinds.ToImmutable();
    }

    private VariantRule? ReadVariant(JsonElement section, string name, string path)
    {
        if (Object(section, name, path) is not { } v)
        {
            return null;
        }

        RefuseUnknown(v, path, VariantKeys);
        var points = Int(v, "points", path + ".points");
        var shape = Enum<EffectShape>(v, "shape", path + ".shape");
        var months = NonNegative(v, "months", path + ".months", required: false);
        var publicityPeriod = Bool(v, "publicityPeriod") ?? false;
        var decayMonths = NonNegative(v, "decayMonths", path + ".decayMonths", required: false);
        var capGrade = Enum<CreditGrade>(v, "capGrade", path + ".capGrade", required: false);
        var capMonths = NonNegative(v, "capMonths", path + ".capMonths", required: false);
        var maxMonths = NonNegative(v, "maxMonths", path + ".maxMonths", required: false);
        var afterEnd = NonNegative(v, "afterEndMonths", path + ".afterEndMonths", required: false);
        var above = Int(v, "aboveThresholdPoints", path + ".aboveThresholdPoints", required: false);
        var escalate = NonNegative(v, "escalateAfterMonths", path + ".escalateAfterMonths", required: false);
        var escalatedCap = Enum<CreditGrade>(v, "escalatedCapGrade", path + ".escalatedCapGrade", required: false);

        if (shape == EffectShape.Decay && months is null && !publicityPeriod)
        {
            Error(path + ".months", "A decaying effect needs a period: months or publicityPeriod.");
        }

        if (shape == EffectShape.ValidThenDecay && (months is null || decayMonths is null))
        {
            Error(path + ".decayMonths", "A validity window needs both months and decayMonths.");
        }

        if (points is null || shape is null)
        {
            return null;
        }

        return new VariantRule(name, points.Value, shape.Value, months, publicityPeriod, decayMonths, Bool(v, "serious") ?? false,
            capGrade, capMonths, maxMonths, afterEnd, above, escalate, escalatedCap);
    }

    private ImmutableArray<SupervisionPolicy> ReadSupervision(JsonElement root)
    {
        var builder = ImmutableArray.CreateBuilder<SupervisionPolicy>(GradeKeys.Length);
        if (Object(root, "supervision", "supervision") is not { } section)
        {
            return builder.ToImmutable();
        }

        RefuseUnknown(section, "supervision", GradeKeys);
        for (var i = 0; i < GradeKeys.Length; i++)
        {
            var path = "supervision." + GradeKeys[i];
            if (Object(section, GradeKeys[i], path) is not { } policy)
            {
                continue;
            }

            var tier = Enum<SupervisionTier>(policy, "tier", path + ".tier") ?? SupervisionTier.General;
            var ratio = Ratio(policy, "samplingRatio", path);
            var min = Ratio(policy, "samplingRatioMin", path);
            var max = Ratio(policy, "samplingRatioMax", path);
            if (min > ratio || ratio > max)
            {
                Error(path + ".samplingRatio", "The default ratio must lie within [samplingRatioMin, samplingRatioMax].");
            }

            var every = Int(policy, "minInspectionEveryMonths", path + ".minInspectionEveryMonths", required: false);
            if (every <= 0)
            {
                Error(path + ".minInspectionEveryMonths", "An inspection interval must be positive.");
            }

            builder.Add(new SupervisionPolicy((CreditGrade)i, tier, ratio, min, max, every));
        }

        return builder.ToImmutable();
    }

    private double Ratio(JsonElement policy, string name, string path)
    {
        var value = Double(policy, name, path + "." + name) ?? 0;
        if (value is < 0 or > 1)
        {
            Error(path + "." + name, "A sampling ratio must lie within [0, 1].");
        }

        return value;
    }

    private WarningRules? ReadWarnings(JsonElement root)
    {
        if (Object(root, "warnings", "warnings") is not { } section)
        {
            return null;
        }

        var dedupHours = NonNegative(section, "dedupHours", "warnings.dedupHours", required: true) ?? 0;
        var triggers = new Dictionary<string, WarningTrigger>(StringComparer.Ordinal);
        if (Object(section, "triggers", "warnings.triggers") is { } triggerSection)
        {
            RefuseUnknown(triggerSection, "warnings.triggers", [.. ScoringCatalog.WarningParameters.Keys]);
            foreach (var (ruleId, needed) in ScoringCatalog.WarningParameters)
            {
                var path = "warnings.triggers." + ruleId;
                if (Object(triggerSection, ruleId, path) is not { } trigger)
                {
                    continue;
                }

                var severity = Enum<WarningSeverity>(trigger, "severity", path + ".severity");
                int? Param(string name) => NonNegative(trigger, name, $"{path}.{name}", required: needed.Contains(name));
                var result = new WarningTrigger(ruleId, severity ?? WarningSeverity.Blue, Param("points"), Param("days"), Param("months"), Param("count"));
                triggers[ruleId] = result;
            }
        }

        return new WarningRules(TimeSpan.FromHours(dedupHours), triggers.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private Dimension? DimensionOf(JsonElement kind, string path)
    {
        var text = String(kind, "dimension", path);
        if (text is null)
        {
            return null;
        }

        var index = System.Array.IndexOf(DimensionKeys, text);
        if (index < 0)
        {
            Error(path, $"'{text}' is not one of D1–D6.");
            return null;
        }

        return (Dimension)(index + 1);
    }

    private void RefuseUnknown(JsonElement section, string path, IReadOnlyCollection<string> known)
    {
        foreach (var property in section.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                Error(path.Length == 0 ? property.Name : $"{path}.{property.Name}", $"Unknown key '{property.Name}'; expected one of {string.Join(", ", known)}.");
            }
        }
    }

    private JsonElement? Object(JsonElement parent, string name, string path) => Member(parent, name, path, JsonValueKind.Object, "an object");

    private JsonElement? Array(JsonElement parent, string name, string path) => Member(parent, name, path, JsonValueKind.Array, "an array");

    private JsonElement? Member(JsonElement parent, string name, string path, JsonValueKind kind, string description, bool required = true)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Error(path, "Required key is missing.");
            }

            return null;
        }

        if (value.ValueKind != kind)
        {
            Error(path, $"Must be {description}.");
            return null;
        }

        return value;
    }

    private string? String(JsonElement parent, string name, string path) =>
        Member(parent, name, path, JsonValueKind.String, "a string")?.GetString();

    private int? Int(JsonElement parent, string name, string path, bool required = true)
    {
        if (Member(parent, name, path, JsonValueKind.Number, "a number", required) is not { } value)
        {
            return null;
        }

        if (!value.TryGetInt32(out var result))
        {
            Error(path, "Must be a whole number.");
            return null;
        }

        return result;
    }

    private int? NonNegative(JsonElement parent, string name, string path, bool required)
    {
        var value = Int(parent, name, path, required);
        if (value < 0)
        {
            Error(path, $"A period or count cannot be negative ({value}).");
            return null;
        }

        return value;
    }

    private double? Double(JsonElement parent, string name, string path, bool required = true) =>
        Member(parent, name, path, JsonValueKind.Number, "a number", required)?.GetDouble();

    private static bool? Bool(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private DateOnly? Date(JsonElement parent, string name, string path)
    {
        var text = String(parent, name, path);
        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            Error(path, $"'{text}' is not a date like 2026-04-01.");
            return null;
        }

        return date;
    }

    private T? Enum<T>(JsonElement parent, string name, string path, bool required = true)
        where T : struct, Enum
    {
        var text = Member(parent, name, path, JsonValueKind.String, "a string", required)?.GetString();
        if (text is null)
        {
            return null;
        }

        if (!System.Enum.TryParse<T>(text, ignoreCase: false, out var value) || !System.Enum.IsDefined(value) || int.TryParse(text, out _))
        {
            Error(path, $"'{text}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}.");
            return null;
        }

        return value;
    }

    private void Error(string path, string message) => errors.Add(new RulesError(path, message));
}
