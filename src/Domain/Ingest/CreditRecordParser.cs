using System.Buffers;
using System.Globalization;
using System.Text.Json;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.Reference;

namespace CreditGrid.Domain.Ingest;

/// <summary>
/// Turns one submitted credit record into a <see cref="CreditEvent"/> or a <see cref="RecordRejection"/>.
/// Pure: the only inputs are the record, the current time and the tolerated clock skew.
/// </summary>
/// <remarks>
/// <para>The public ingest format of one record is a camelCase JSON object (member names are case-sensitive):</para>
/// <code>
/// {
///   "recordId": "XA-AMR-2026-000123",           // required, provider's own id, 1–128 characters
///   "subjectId": "91610103MA6U1AAA1X",          // required, USCC of the subject (信用主体)
///   "sourceDepartment": "11610000MB2963226E",   // required, USCC of the providing department
///   "type": "credit.penalty-imposed.v1",        // required, a registered event kind
///   "decisionDate": "2026-03-01",               // required, 认定/决定日期, yyyy-MM-dd
///   "decisionDocumentNumber": "西市监罚〔2026〕12号", // optional, 文书号, ≤ 256 characters
///   "publicityClass": "general",                // optional: minor | general | serious | notApplicable
///   "amount": 50000,                            // optional, yuan, a non-negative number
///   "jurisdiction": "610103",                   // optional, a Shaanxi GB/T 2260 code
///   "effectiveFrom": null,                      // optional, yyyy-MM-dd
///   "effectiveTo": null,                        // optional, yyyy-MM-dd, not before effectiveFrom
///   "legalBasis": "...",                        // optional, ≤ 4000 characters
///   "subjectName": "西安市某某科技有限公司",      // optional, 主体名称, trimmed, ≤ 200 characters
///   "details": { "penaltyTypes": ["fine"] }     // required, the members of the kind's details record
/// }
/// </code>
/// <para>
/// <c>null</c> is the same as an absent optional member. Unknown members are ignored so that providers can
/// send newer fields. <c>details</c> carries the constructor members of the <see cref="EventDetails"/> subtype
/// registered for <c>type</c>, in camelCase; every one of them must be present (nullable ones may be
/// <c>null</c>) and enum values are camelCase names, e.g. <c>"suspensionOfBusiness"</c>.
/// </para>
/// <para>
/// Checks run in the order above and stop at the first problem, so a rejection names one field. Reasons are
/// the constants of <see cref="RejectionReasons"/>, or the USCC failure codes for the two code fields.
/// </para>
/// </remarks>
public static class CreditRecordParser
{
    /// <summary>Longest accepted <c>recordId</c>.</summary>
    public const int MaxRecordIdLength = 128;

    /// <summary>Longest accepted <c>decisionDocumentNumber</c>.</summary>
    public const int MaxDocumentNumberLength = 256;

    /// <summary>Longest accepted <c>legalBasis</c>.</summary>
    public const int MaxLegalBasisLength = 4000;

    /// <summary>Longest accepted <c>subjectName</c>, counted after trimming.</summary>
    public const int MaxSubjectNameLength = 200;

    /// <summary>The founding of the People's Republic; no public credit decision can be older.</summary>
    public static readonly DateOnly EarliestDecisionDate = new(1949, 10, 1);

    // Decision dates are Shaanxi calendar dates; China keeps UTC+8 all year, so a fixed offset is exact.
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    private const string DetailsField = "details";

    /// <summary>Validates one record and maps it onto the event envelope.</summary>
    /// <param name="record">One element of a submitted batch, already parsed as JSON.</param>
    /// <param name="now">Receipt time: becomes <see cref="CreditEvent.ReceivedAt"/> and bounds the decision date.</param>
    /// <param name="clockTolerance">How far a provider's clock may run ahead before a decision date counts as future.</param>
    /// <returns>The accepted event, or the first problem found; malformed input never throws.</returns>
    public static RecordParseResult Parse(JsonElement record, DateTimeOffset now, TimeSpan clockTolerance)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            return RecordParseResult.Rejected("$", RejectionReasons.NotAnObject, "the record must be a JSON object");
        }

        if (RequiredString(record, "recordId", MaxRecordIdLength, out var recordId) is { } recordIdProblem)
        {
            return recordIdProblem;
        }

        if (CreditCode(record, "subjectId", out var subject) is { } subjectProblem)
        {
            return subjectProblem;
        }

        if (CreditCode(record, "sourceDepartment", out var source) is { } sourceProblem)
        {
            return sourceProblem;
        }

        if (RequiredString(record, "type", int.MaxValue, out var type) is { } typeProblem)
        {
            return typeProblem;
        }

        if (!CreditJson.EventDetailTypes.TryGetValue(type, out var detailsType))
        {
            return RecordParseResult.Rejected("type", RejectionReasons.UnknownEventType, $"'{type}' is not a known event type");
        }

        if (DecisionDate(record, now + clockTolerance, out var decisionDate) is { } dateProblem)
        {
            return dateProblem;
        }

        if (Publicity(record, out var publicityClass) is { } publicityProblem)
        {
            return publicityProblem;
        }

        if (Amount(record, out var amount) is { } amountProblem)
        {
            return amountProblem;
        }

        if (Jurisdiction(record, out var jurisdiction) is { } jurisdictionProblem)
        {
            return jurisdictionProblem;
        }

        if (OptionalDate(record, "effectiveFrom", out var effectiveFrom) is { } fromProblem)
        {
            return fromProblem;
        }

        if (OptionalDate(record, "effectiveTo", out var effectiveTo) is { } toProblem)
        {
            return toProblem;
        }

        if (effectiveFrom is { } from && effectiveTo is { } to && to < from)
        {
            return RecordParseResult.Rejected(
                "effectiveTo",
                RejectionReasons.InvalidRange,
                $"effectiveTo {to:yyyy-MM-dd} is before effectiveFrom {from:yyyy-MM-dd}");
        }

        if (OptionalString(record, "decisionDocumentNumber", MaxDocumentNumberLength, out var documentNumber) is { } documentProblem)
        {
            return documentProblem;
        }

        if (OptionalString(record, "legalBasis", MaxLegalBasisLength, out var legalBasis) is { } basisProblem)
        {
            return basisProblem;
        }

        if (SubjectName(record, out var subjectName) is { } nameProblem)
        {
            return nameProblem;
        }

        if (Details(record, type, detailsType, out var details) is { } detailsProblem)
        {
            return detailsProblem;
        }

        // Text that repeats from record to record is shared: in the single-process grid these very objects are kept.
        return RecordParseResult.Accepted(new CreditEvent
        {
            RecordId = recordId,
            SubjectId = RepeatedText.Share(subject.Normalised!),
            SubjectType = subject.SubjectType!.Value,
            SubjectName = RepeatedText.Share(subjectName),
            SourceDepartment = RepeatedText.Share(source.Normalised!),
            DecisionDocumentNumber = documentNumber,
            DecisionDate = decisionDate,
            EffectiveFrom = effectiveFrom,
            EffectiveTo = effectiveTo,
            PublicityClass = publicityClass,
            Amount = amount,
            LegalBasis = RepeatedText.Share(legalBasis),
            Jurisdiction = RepeatedText.Share(jurisdiction),
            Provenance = Provenance.Api,
            ReceivedAt = now,
            Details = details,
        });
    }

    // JSON null and an absent member mean the same thing for every field.
    private static bool TryGetValue(JsonElement record, string name, out JsonElement value) =>
        record.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static RecordParseResult? RequiredString(JsonElement record, string name, int maxLength, out string value)
    {
        value = "";
        if (!TryGetValue(record, name, out var element))
        {
            return RecordParseResult.Rejected(name, RejectionReasons.Required, $"{name} is required");
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return WrongType(name, "a string", element);
        }

        value = element.GetString()!;
        if (string.IsNullOrWhiteSpace(value))
        {
            return RecordParseResult.Rejected(name, RejectionReasons.Required, $"{name} must not be empty");
        }

        return value.Length > maxLength
            ? RecordParseResult.Rejected(name, RejectionReasons.TooLong, $"{name} is {value.Length} characters long, the limit is {maxLength}")
            : null;
    }

    private static RecordParseResult? OptionalString(JsonElement record, string name, int maxLength, out string? value)
    {
        value = null;
        if (!TryGetValue(record, name, out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return WrongType(name, "a string", element);
        }

        value = element.GetString()!;
        return value.Length > maxLength
            ? RecordParseResult.Rejected(name, RejectionReasons.TooLong, $"{name} is {value.Length} characters long, the limit is {maxLength}")
            : null;
    }

    // Names are copied from registration systems with stray spaces; blank means the provider did not know it.
    private static RecordParseResult? SubjectName(JsonElement record, out string? name)
    {
        const string field = "subjectName";
        if (OptionalString(record, field, int.MaxValue, out var raw) is { } problem)
        {
            name = null;
            return problem;
        }

        name = string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
        return name is { Length: > MaxSubjectNameLength }
            ? RecordParseResult.Rejected(field, RejectionReasons.TooLong, $"{field} is {name.Length} characters long, the limit is {MaxSubjectNameLength}")
            : null;
    }

    private static RecordParseResult? CreditCode(JsonElement record, string name, out UsccCheck check)
    {
        check = null!;
        if (RequiredString(record, name, int.MaxValue, out var raw) is { } problem)
        {
            return problem;
        }

        check = Uscc.Validate(raw);
        return check.Failure is { } failure
            ? RecordParseResult.Rejected(name, failure.Code(), $"{name} '{raw}': {check.Message}")
            : null;
    }

    private static RecordParseResult? DecisionDate(JsonElement record, DateTimeOffset latest, out DateOnly date)
    {
        date = default;
        const string name = "decisionDate";
        if (!TryGetValue(record, name, out var element))
        {
            return RecordParseResult.Rejected(name, RejectionReasons.Required, $"{name} is required");
        }

        if (ParseDate(name, element, out date) is { } problem)
        {
            return problem;
        }

        if (date < EarliestDecisionDate)
        {
            return RecordParseResult.Rejected(
                name,
                RejectionReasons.DateBefore1949,
                $"{name} {date:yyyy-MM-dd} is before {EarliestDecisionDate:yyyy-MM-dd}");
        }

        var startOfDay = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), ChinaStandardTime);
        return startOfDay > latest
            ? RecordParseResult.Rejected(name, RejectionReasons.DateInFuture, $"{name} {date:yyyy-MM-dd} is in the future")
            : null;
    }

    private static RecordParseResult? OptionalDate(JsonElement record, string name, out DateOnly? date)
    {
        date = null;
        if (!TryGetValue(record, name, out var element))
        {
            return null;
        }

        var problem = ParseDate(name, element, out var parsed);
        date = problem is null ? parsed : null;
        return problem;
    }

    private static RecordParseResult? ParseDate(string name, JsonElement element, out DateOnly date)
    {
        date = default;
        if (element.ValueKind != JsonValueKind.String)
        {
            return WrongType(name, "a date string", element);
        }

        return DateOnly.TryParseExact(element.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
            ? null
            : RecordParseResult.Rejected(name, RejectionReasons.InvalidDate, $"{name} '{element.GetString()}' is not a date in the form yyyy-MM-dd");
    }

    private static RecordParseResult? Publicity(JsonElement record, out PublicityClass? publicityClass)
    {
        publicityClass = null;
        const string name = "publicityClass";
        if (!TryGetValue(record, name, out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return WrongType(name, "a string", element);
        }

        // DOMAIN §3.1 abbreviates "not applicable" to NA; providers copying that table are accepted too.
        publicityClass = element.GetString()!.ToLowerInvariant() switch
        {
            "minor" => PublicityClass.Minor,
            "general" => PublicityClass.General,
            "serious" => PublicityClass.Serious,
            "notapplicable" or "not-applicable" or "na" => PublicityClass.NotApplicable,
            _ => null,
        };

        return publicityClass is null
            ? RecordParseResult.Rejected(
                name,
                RejectionReasons.InvalidValue,
                $"{name} '{element.GetString()}' is not one of minor, general, serious, notApplicable")
            : null;
    }

    private static RecordParseResult? Amount(JsonElement record, out decimal? amount)
    {
        amount = null;
        const string name = "amount";
        if (!TryGetValue(record, name, out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number)
        {
            return WrongType(name, "a number", element);
        }

        // Exponents beyond decimal's range are the JSON form of a non-finite amount.
        if (!element.TryGetDecimal(out var value))
        {
            return RecordParseResult.Rejected(name, RejectionReasons.InvalidType, $"{name} {element.GetRawText()} is not a finite decimal number");
        }

        if (value < 0)
        {
            return RecordParseResult.Rejected(name, RejectionReasons.NegativeAmount, $"{name} {value} is negative");
        }

        amount = value;
        return null;
    }

    private static RecordParseResult? Jurisdiction(JsonElement record, out string? jurisdiction)
    {
        jurisdiction = null;
        const string name = "jurisdiction";
        if (!TryGetValue(record, name, out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return WrongType(name, "a six-digit code string", element);
        }

        var code = element.GetString()!.Trim();
        if (!AdministrativeDivisions.IsKnownShaanxi(code))
        {
            return RecordParseResult.Rejected(name, RejectionReasons.UnknownDivision, $"{name} '{code}' is not a known Shaanxi division code");
        }

        jurisdiction = code;
        return null;
    }

    private static RecordParseResult? Details(JsonElement record, string type, Type detailsType, out EventDetails details)
    {
        details = null!;
        if (!TryGetValue(record, DetailsField, out var element))
        {
            return RecordParseResult.Rejected(DetailsField, RejectionReasons.Required, $"{DetailsField} is required");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return WrongType(DetailsField, "an object", element);
        }

        // The serializer would also refuse a missing member, but its exception does not say which one.
        foreach (var property in CreditJson.Options.GetTypeInfo(detailsType).Properties)
        {
            var required = property.IsRequired || property.AssociatedParameter is { HasDefaultValue: false };
            if (required && !element.TryGetProperty(property.Name, out _))
            {
                return RecordParseResult.Rejected(
                    $"{DetailsField}.{property.Name}",
                    RejectionReasons.InvalidDetails,
                    $"{DetailsField}.{property.Name} is required for {type}");
            }
        }

        try
        {
            // The kind is known from the envelope, so the concrete type is read directly: no polymorphic dispatch, no copy.
            details = (EventDetails)element.Deserialize(detailsType, CreditJson.Options)!;
            return null;
        }
        catch (JsonException exception)
        {
            var field = exception.Path is { Length: > 1 } path && path.StartsWith('$') ? DetailsField + path[1..] : DetailsField;
            return RecordParseResult.Rejected(
                field,
                RejectionReasons.InvalidDetails,
                $"{field} does not match {type}: {Describe(exception, detailsType)}");
        }
    }

    // Serializer messages name CLR types and byte positions; a provider needs the expected JSON value instead.
    private static string Describe(JsonException exception, Type detailsType)
    {
        var message = exception.Message;
        var pathAt = message.IndexOf(" Path: ", StringComparison.Ordinal);
        message = (pathAt < 0 ? message : message[..pathAt]).TrimEnd('.', ' ');

        if (message.Contains("allow null", StringComparison.Ordinal))
        {
            return "must not be null";
        }

        if (message.StartsWith("Duplicate", StringComparison.Ordinal))
        {
            return "the member is given more than once";
        }

        return MemberTypeAt(detailsType, exception.Path) is { } target
            ? "expected " + Expected(target)
            : message.Replace(typeof(EventDetails).Namespace + ".", "", StringComparison.Ordinal);
    }

    // Follows a serializer path such as "$.penaltyTypes[0]" through the details type's JSON contract.
    private static Type? MemberTypeAt(Type detailsType, string? path)
    {
        if (path is null || !path.StartsWith("$.", StringComparison.Ordinal))
        {
            return null;
        }

        var current = detailsType;
        foreach (var segment in path[2..].Split('.'))
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];
            var property = CreditJson.Options.GetTypeInfo(current).Properties.FirstOrDefault(p => p.Name == name);
            if (property is null)
            {
                return null;
            }

            current = property.PropertyType;
            for (var i = bracket; i >= 0 && i < segment.Length; i = segment.IndexOf('[', i + 1))
            {
                if (ElementType(current) is not { } element)
                {
                    return null;
                }

                current = element;
            }
        }

        return current;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray
            ? type.GetElementType()
            : type.GetInterfaces().Append(type)
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                ?.GetGenericArguments()[0];

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName));
        }

        if (type == typeof(string))
        {
            return "a string";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(DateOnly))
        {
            return "a date in the form yyyy-MM-dd";
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short))
        {
            return "an integer";
        }

        if (type == typeof(decimal) || type == typeof(double) || type == typeof(float))
        {
            return "a number";
        }

        return ElementType(type) is not null ? "an array" : "an object";
    }

    private static RecordParseResult WrongType(string name, string expected, JsonElement actual) =>
        RecordParseResult.Rejected(
            name,
            RejectionReasons.InvalidType,
            $"{name} must be {expected}, not {actual.ValueKind.ToString().ToLowerInvariant()}");
}
