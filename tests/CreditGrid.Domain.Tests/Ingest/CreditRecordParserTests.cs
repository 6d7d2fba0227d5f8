using System.Text.Json;
using System.Text.Json.Nodes;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.Ingest;

namespace CreditGrid.Domain.Tests.Ingest;

public class CreditRecordParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 4, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private static readonly string Subject = UsccGenerator.FromSerial(4242, '9', '1', "610103");
    private static readonly string Department = UsccGenerator.FromSerial(17, '1', '1', "610000");

    private static JsonObject ValidRecord() => new()
    {
        ["recordId"] = "XA-AMR-2026-000123",
        ["subjectId"] = Subject.ToLowerInvariant(),
        ["sourceDepartment"] = Department,
        ["type"] = EventTypes.PenaltyImposed,
        ["decisionDate"] = "2026-03-01",
        ["decisionDocumentNumber"] = "西市监罚〔2026〕12号",
        ["publicityClass"] = "general",
        ["amount"] = 50000,
        ["jurisdiction"] = "610103",
        ["effectiveFrom"] = null,
        ["effectiveTo"] = null,
        ["legalBasis"] = "《中华人民共和国食品安全法》第一百二十四条",
        ["details"] = new JsonObject { ["penaltyTypes"] = new JsonArray("fine") },
    };

    private static RecordParseResult Parse(JsonNode? record, DateTimeOffset? now = null) =>
        CreditRecordParser.Parse(JsonSerializer.SerializeToElement(record), now ?? Now, Tolerance);

    private static RecordParseResult ParseWith(Action<JsonObject> change, DateTimeOffset? now = null)
    {
        var record = ValidRecord();
        change(record);
        return Parse(record, now);
    }

    private static RecordRejection AssertRejected(RecordParseResult result, string field, string reason)
    {
        Assert.False(result.IsAccepted);
        Assert.Null(result.Event);
        var rejection = Assert.IsType<RecordRejection>(result.Rejection);
        Assert.Equal(reason, rejection.Reason);
        Assert.Equal(field, rejection.Field);
        Assert.False(string.IsNullOrWhiteSpace(rejection.Message));
        return rejection;
    }

    [Fact]
    public void RecordsParsedApartShareTheirRepeatedText()
    {
        var first = Parse(ValidRecord()).Event!;
        var second = ParseWith(r => r["recordId"] = "XA-AMR-2026-000124").Event!;

        Assert.Same(first.SubjectId, second.SubjectId);
        Assert.Same(first.SourceDepartment, second.SourceDepartment);
        Assert.Same(first.LegalBasis, second.LegalBasis);
        Assert.Same(first.Jurisdiction, second.Jurisdiction);
        Assert.NotSame(first.DecisionDocumentNumber, second.DecisionDocumentNumber);
    }

    [Fact]
    public void ValidRecordBecomesAnEventWithEveryEnvelopeField()
    {
        var result = Parse(ValidRecord());

        Assert.True(result.IsAccepted, result.Rejection?.Message);
        Assert.Null(result.Rejection);
        var accepted = result.Event!;
        Assert.Equal("XA-AMR-2026-000123", accepted.RecordId);
        Assert.Equal(Subject, accepted.SubjectId);
        Assert.Equal(SubjectType.Enterprise, accepted.SubjectType);
        Assert.Equal(Department, accepted.SourceDepartment);
        Assert.Equal(new DateOnly(2026, 3, 1), accepted.DecisionDate);
        Assert.Equal("西市监罚〔2026〕12号", accepted.DecisionDocumentNumber);
        Assert.Equal(PublicityClass.General, accepted.PublicityClass);
        Assert.Equal(50000m, accepted.Amount);
        Assert.Equal("610103", accepted.Jurisdiction);
        Assert.Null(accepted.EffectiveFrom);
        Assert.Null(accepted.EffectiveTo);
        Assert.StartsWith("《中华人民共和国食品安全法》", accepted.LegalBasis);
        Assert.Equal(Provenance.Api, accepted.Provenance);
        Assert.Equal(Now, accepted.ReceivedAt);
        var penalty = Assert.IsType<PenaltyImposed>(accepted.Details);
        Assert.Equal(new[] { PenaltyType.Fine }, penalty.PenaltyTypes);
    }

    [Fact]
    public void MinimalRecordNeedsOnlyRequiredMembers()
    {
        var record = new JsonObject
        {
            ["recordId"] = "1",
            ["subjectId"] = Subject,
            ["sourceDepartment"] = Department,
            ["type"] = EventTypes.AdjudicationDecided,
            ["decisionDate"] = "2026-03-01",
            ["details"] = new JsonObject { ["againstSubject"] = false },
        };

        var result = Parse(record);

        Assert.True(result.IsAccepted, result.Rejection?.Message);
        Assert.Null(result.Event!.PublicityClass);
        Assert.Null(result.Event.Amount);
        Assert.Null(result.Event.Jurisdiction);
    }

    [Fact]
    public void GovernmentDepartmentSubjectTypeComesFromItsCode()
    {
        var result = ParseWith(r => r["subjectId"] = Department);

        Assert.Equal(SubjectType.GovernmentBody, result.Event?.SubjectType);
    }

    [Fact]
    public void WhitelistedLegacySubjectIsAccepted()
    {
        var result = ParseWith(r => r["subjectId"] = "91350100M0001TGQXM");

        Assert.True(result.IsAccepted, result.Rejection?.Message);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"record\"")]
    [InlineData("null")]
    public void NonObjectIsRejected(string json)
    {
        using var document = JsonDocument.Parse(json);

        AssertRejected(CreditRecordParser.Parse(document.RootElement, Now, Tolerance), "$", "not_an_object");
    }

    [Fact]
    public void DefaultElementIsRejectedAsNotAnObject()
    {
        AssertRejected(CreditRecordParser.Parse(default, Now, Tolerance), "$", "not_an_object");
    }

    [Theory]
    [InlineData("recordId")]
    [InlineData("subjectId")]
    [InlineData("sourceDepartment")]
    [InlineData("type")]
    [InlineData("decisionDate")]
    [InlineData("details")]
    public void MissingRequiredMemberIsRejected(string member)
    {
        AssertRejected(ParseWith(r => r.Remove(member)), member, "required");
    }

    [Theory]
    [InlineData("recordId")]
    [InlineData("decisionDate")]
    [InlineData("details")]
    public void NullRequiredMemberIsRejectedAsRequired(string member)
    {
        AssertRejected(ParseWith(r => r[member] = null), member, "required");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void EmptyRecordIdIsRejectedAsRequired(string recordId)
    {
        AssertRejected(ParseWith(r => r["recordId"] = recordId), "recordId", "required");
    }

    [Fact]
    public void RecordIdLongerThanLimitIsRejected()
    {
        AssertRejected(ParseWith(r => r["recordId"] = new string('x', 129)), "recordId", "too_long");
        Assert.True(ParseWith(r => r["recordId"] = new string('x', 128)).IsAccepted);
    }

    [Fact]
    public void OverlongLegalBasisIsRejected()
    {
        AssertRejected(ParseWith(r => r["legalBasis"] = new string('法', 4001)), "legalBasis", "too_long");
    }

    [Theory]
    [InlineData("recordId", "42")]
    [InlineData("subjectId", "true")]
    [InlineData("sourceDepartment", "{}")]
    [InlineData("type", "[]")]
    [InlineData("decisionDate", "20260301")]
    [InlineData("publicityClass", "1")]
    [InlineData("amount", "\"50000\"")]
    [InlineData("jurisdiction", "610103")]
    [InlineData("effectiveFrom", "false")]
    [InlineData("effectiveTo", "{}")]
    [InlineData("decisionDocumentNumber", "12")]
    [InlineData("legalBasis", "[\"a\"]")]
    [InlineData("details", "\"fine\"")]
    public void WrongJsonTypeIsRejectedNamingTheField(string member, string json)
    {
        AssertRejected(ParseWith(r => r[member] = JsonNode.Parse(json)), member, "invalid_type");
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1e30")]
    public void AmountOutsideDecimalRangeIsRejectedAsInvalidType(string json)
    {
        AssertRejected(ParseWith(r => r["amount"] = JsonNode.Parse(json)), "amount", "invalid_type");
    }

    [Fact]
    public void NegativeAmountIsRejected()
    {
        AssertRejected(ParseWith(r => r["amount"] = -0.01m), "amount", "negative_amount");
    }

    [Fact]
    public void ZeroAndFractionalAmountsAreAccepted()
    {
        Assert.Equal(0m, ParseWith(r => r["amount"] = 0).Event?.Amount);
        Assert.Equal(1234.56m, ParseWith(r => r["amount"] = 1234.56m).Event?.Amount);
    }

    public static TheoryData<UsccFailure> Failures() =>
        [UsccFailure.WrongFormat, UsccFailure.WrongAuthority, UsccFailure.WrongRegion, UsccFailure.WrongOrgCodeCheck, UsccFailure.WrongCheck];

    private static string CodeFailing(UsccFailure failure)
    {
        var code = failure switch
        {
            UsccFailure.WrongFormat => Subject[..17],
            UsccFailure.WrongAuthority => "B" + Subject[1..],
            UsccFailure.WrongRegion => Subject[..2] + "619999" + Subject[8..],
            UsccFailure.WrongOrgCodeCheck => Subject[..16] + (Subject[16] == '0' ? '1' : '0') + Subject[17],
            _ => Subject[..17] + (Subject[17] == '0' ? '1' : '0'),
        };
        Assert.Equal(failure, Uscc.Validate(code).Failure);
        return code;
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void InvalidSubjectCodeIsRejectedWithItsUsccReason(UsccFailure failure)
    {
        var rejection = AssertRejected(ParseWith(r => r["subjectId"] = CodeFailing(failure)), "subjectId", failure.Code());

        Assert.Contains(Uscc.Validate(CodeFailing(failure)).Message, rejection.Message);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void InvalidSourceDepartmentCodeIsRejectedWithItsUsccReason(UsccFailure failure)
    {
        AssertRejected(ParseWith(r => r["sourceDepartment"] = CodeFailing(failure)), "sourceDepartment", failure.Code());
    }

    [Theory]
    [InlineData("credit.unknown-kind.v1")]
    [InlineData("credit.penalty-imposed.v2")]
    [InlineData("CREDIT.PENALTY-IMPOSED.V1")]
    public void UnregisteredEventTypeIsRejected(string type)
    {
        AssertRejected(ParseWith(r => r["type"] = type), "type", "unknown_event_type");
    }

    [Theory]
    [InlineData("decisionDate", "2026/03/01")]
    [InlineData("decisionDate", "2026-02-30")]
    [InlineData("decisionDate", "2026-03-01T00:00:00")]
    [InlineData("effectiveFrom", "yesterday")]
    [InlineData("effectiveTo", "")]
    public void MalformedDateIsRejected(string member, string value)
    {
        AssertRejected(ParseWith(r => r[member] = value), member, "invalid_date");
    }

    [Fact]
    public void DecisionDateBeforeFoundingOfPrcIsRejected()
    {
        AssertRejected(ParseWith(r => r["decisionDate"] = "1949-09-30"), "decisionDate", "date_before_1949");
        Assert.True(ParseWith(r => r["decisionDate"] = "1949-10-01").IsAccepted);
    }

    [Fact]
    public void DecisionDateInTheFutureIsRejected()
    {
        AssertRejected(ParseWith(r => r["decisionDate"] = "2026-03-11"), "decisionDate", "date_in_future");
    }

    [Fact]
    public void TodayInChinaIsNotTheFutureEvenBeforeUtcMidnight()
    {
        // 16:00 UTC on 9 March is already 10 March in Shaanxi.
        var result = ParseWith(r => r["decisionDate"] = "2026-03-10", new DateTimeOffset(2026, 3, 9, 16, 0, 0, TimeSpan.Zero));

        Assert.True(result.IsAccepted, result.Rejection?.Message);
    }

    [Fact]
    public void ClockToleranceAdmitsADateThatBeginsWithinIt()
    {
        var justBeforeMidnightInChina = new DateTimeOffset(2026, 3, 9, 15, 57, 0, TimeSpan.Zero);
        void Change(JsonObject r) => r["decisionDate"] = "2026-03-10";

        Assert.True(ParseWith(Change, justBeforeMidnightInChina).IsAccepted);
        AssertRejected(ParseWith(Change, justBeforeMidnightInChina - TimeSpan.FromMinutes(4)), "decisionDate", "date_in_future");
    }

    [Theory]
    [InlineData("minor", PublicityClass.Minor)]
    [InlineData("General", PublicityClass.General)]
    [InlineData("SERIOUS", PublicityClass.Serious)]
    [InlineData("notApplicable", PublicityClass.NotApplicable)]
    [InlineData("NA", PublicityClass.NotApplicable)]
    public void PublicityClassIsReadCaseInsensitively(string value, PublicityClass expected)
    {
        Assert.Equal(expected, ParseWith(r => r["publicityClass"] = value).Event?.PublicityClass);
    }

    [Theory]
    [InlineData("severe")]
    [InlineData("")]
    [InlineData("2")]
    public void UnknownPublicityClassIsRejected(string value)
    {
        AssertRejected(ParseWith(r => r["publicityClass"] = value), "publicityClass", "invalid_value");
    }

    [Theory]
    [InlineData("619999")]
    [InlineData("320100")]
    [InlineData("61")]
    public void JurisdictionOutsideShaanxiTableIsRejected(string code)
    {
        AssertRejected(ParseWith(r => r["jurisdiction"] = code), "jurisdiction", "unknown_division");
    }

    [Fact]
    public void EffectiveToBeforeEffectiveFromIsRejected()
    {
        var result = ParseWith(r =>
        {
            r["effectiveFrom"] = "2026-03-01";
            r["effectiveTo"] = "2026-02-28";
        });

        AssertRejected(result, "effectiveTo", "invalid_range");
    }

    [Fact]
    public void EffectivePeriodIsKept()
    {
        var result = ParseWith(r =>
        {
            r["effectiveFrom"] = "2026-03-01";
            r["effectiveTo"] = "2026-03-01";
        });

        Assert.Equal(new DateOnly(2026, 3, 1), result.Event?.EffectiveFrom);
        Assert.Equal(new DateOnly(2026, 3, 1), result.Event?.EffectiveTo);
    }

    [Fact]
    public void MissingDetailsMemberIsRejectedNotDefaulted()
    {
        var result = ParseWith(r =>
        {
            r["type"] = EventTypes.LicenceGranted;
            r["details"] = new JsonObject { ["validTo"] = "2029-01-01" };
        });

        AssertRejected(result, "details.licenceType", "invalid_details");
    }

    [Fact]
    public void MissingNullableDetailsMemberIsStillRequired()
    {
        var result = ParseWith(r =>
        {
            r["type"] = EventTypes.LicenceGranted;
            r["details"] = new JsonObject { ["licenceType"] = "食品经营许可" };
        });

        AssertRejected(result, "details.validTo", "invalid_details");
    }

    [Fact]
    public void NullForNonNullableDetailsMemberIsRejected()
    {
        var result = ParseWith(r =>
        {
            r["type"] = EventTypes.LicenceGranted;
            r["details"] = new JsonObject { ["licenceType"] = null, ["validTo"] = null };
        });

        AssertRejected(result, "details.licenceType", "invalid_details");
    }

    [Theory]
    [InlineData("{\"penaltyTypes\":[\"bogus\"]}")]
    [InlineData("{\"penaltyTypes\":[3]}")]
    [InlineData("{\"penaltyTypes\":\"fine\"}")]
    public void MalformedPenaltyTypesAreRejectedAtTheirPath(string details)
    {
        var rejection = AssertRejected(ParseWith(r => r["details"] = JsonNode.Parse(details)), RejectionField(details), "invalid_details");

        Assert.Contains(EventTypes.PenaltyImposed, rejection.Message);
    }

    private static string RejectionField(string details) => details.Contains('[') ? "details.penaltyTypes[0]" : "details.penaltyTypes";

    [Fact]
    public void WrongTypeInsideDetailsIsRejectedAtItsPath()
    {
        var result = ParseWith(r =>
        {
            r["type"] = EventTypes.TaxCreditRated;
            r["details"] = new JsonObject { ["level"] = "A", ["year"] = "2025" };
        });

        var rejection = AssertRejected(result, "details.year", "invalid_details");
        Assert.EndsWith("expected an integer", rejection.Message);
    }

    [Fact]
    public void DuplicateDetailsMemberIsRejected()
    {
        using var document = JsonDocument.Parse(
            ValidRecord().ToJsonString().Replace("{\"penaltyTypes\":[\"fine\"]}", "{\"penaltyTypes\":[\"fine\"],\"penaltyTypes\":[\"warning\"]}"));

        var result = CreditRecordParser.Parse(document.RootElement, Now, Tolerance);

        Assert.Equal("invalid_details", result.Rejection?.Reason);
    }

    [Fact]
    public void UnknownEnumValueIsRejectedListingTheAllowedNames()
    {
        var rejection = AssertRejected(
            ParseWith(r => r["details"] = new JsonObject { ["penaltyTypes"] = new JsonArray("fine", "flogging") }),
            "details.penaltyTypes[1]",
            "invalid_details");

        Assert.Contains("expected one of warning, fine,", rejection.Message);
    }

    [Theory]
    [InlineData("fine", PenaltyType.Fine)]
    [InlineData("Fine", PenaltyType.Fine)]
    [InlineData("suspensionOfBusiness", PenaltyType.SuspensionOfBusiness)]
    [InlineData("SuspensionOfBusiness", PenaltyType.SuspensionOfBusiness)]
    public void EnumNamesAreAcceptedInCamelOrPascalCase(string value, PenaltyType expected)
    {
        var result = ParseWith(r => r["details"] = new JsonObject { ["penaltyTypes"] = new JsonArray(value) });

        Assert.Equal(new[] { expected }, Assert.IsType<PenaltyImposed>(result.Event?.Details).PenaltyTypes);
    }

    [Fact]
    public void TypeMemberInsideDetailsCannotOverrideTheEnvelopeType()
    {
        var result = ParseWith(r => r["details"] = new JsonObject
        {
            ["type"] = EventTypes.AdjudicationDecided,
            ["penaltyTypes"] = new JsonArray("warning"),
        });

        Assert.IsType<PenaltyImposed>(result.Event?.Details);
    }

    [Fact]
    public void UnknownMembersAreIgnored()
    {
        var result = ParseWith(r =>
        {
            r["futureField"] = "x";
            r["details"]!["futureDetail"] = 1;
        });

        Assert.True(result.IsAccepted, result.Rejection?.Message);
    }

    [Theory]
    [InlineData(EventTypes.LicenceGranted, """{"licenceType":"食品经营许可","validTo":"2029-03-01"}""", typeof(LicenceGranted))]
    [InlineData(EventTypes.PenaltyImposed, """{"penaltyTypes":["fine","confiscationOfIllegalGains"]}""", typeof(PenaltyImposed))]
    [InlineData(EventTypes.CompulsoryMeasureImposed, """{"measure":"查封","liftedOn":null}""", typeof(CompulsoryMeasureImposed))]
    [InlineData(EventTypes.RewardGranted, """{"level":"provincial"}""", typeof(RewardGranted))]
    [InlineData(EventTypes.ConfirmationGranted, """{"confirmationType":"高新技术企业","validTo":"2028-12-31"}""", typeof(ConfirmationGranted))]
    [InlineData(EventTypes.AdjudicationDecided, """{"againstSubject":true}""", typeof(AdjudicationDecided))]
    [InlineData(EventTypes.InspectionCompleted, """{"result":"rectificationOrdered"}""", typeof(InspectionCompleted))]
    [InlineData(EventTypes.SeriousDishonestyListed, """{"listName":"严重违法失信名单","authority":"陕西省市场监督管理局","listPeriodMonths":36}""", typeof(SeriousDishonestyListed))]
    [InlineData(EventTypes.SeriousDishonestyRemoved, """{"listName":"严重违法失信名单","authority":"陕西省市场监督管理局"}""", typeof(SeriousDishonestyRemoved))]
    [InlineData(EventTypes.DishonestJudgmentDebtorListed, """{"caseNumber":"(2026)陕0103执123号","court":"西安市碑林区人民法院","performance":"partial"}""", typeof(DishonestJudgmentDebtorListed))]
    [InlineData(EventTypes.TaxCreditRated, """{"level":"A","year":2025}""", typeof(TaxCreditRated))]
    [InlineData(EventTypes.UtilityPaymentRecorded, """{"utility":"electricity","month":"2026-02","overdueDays":0}""", typeof(UtilityPaymentRecorded))]
    public void RecordOfEachKindIsAcceptedAndRoundTrips(string type, string details, Type expected)
    {
        var result = ParseWith(r =>
        {
            r["type"] = type;
            r["details"] = JsonNode.Parse(details);
        });

        Assert.True(result.IsAccepted, result.Rejection?.Message);
        Assert.IsType(expected, result.Event!.Details);

        var json = JsonSerializer.Serialize(result.Event.Details, CreditJson.Options);
        var back = JsonSerializer.Deserialize<EventDetails>(json, CreditJson.Options);
        Assert.IsType(expected, back);
        Assert.Equal(json, JsonSerializer.Serialize(back, CreditJson.Options));
        Assert.Contains($"\"type\":\"{type}\"", json);

        var envelope = JsonSerializer.Serialize(result.Event, CreditJson.Options);
        var envelopeBack = JsonSerializer.Deserialize<CreditEvent>(envelope, CreditJson.Options);
        Assert.Equal(envelope, JsonSerializer.Serialize(envelopeBack, CreditJson.Options));
    }
}
