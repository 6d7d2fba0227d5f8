using CreditGrid.Domain.Events;

namespace CreditGrid.Gateway.Reports;

/// <summary>
/// The fields (领域) a special credit report is organised by, after the Credit China report structure: each record
/// kind belongs to one field, and some outcomes are violations (违法违规或失信记录) that a compliance certificate would
/// have had to state.
/// </summary>
public enum ReportField
{
    AdministrativeEnforcement,
    Taxation,
    Judicial,
    CreditLists,
    SocialInsuranceAndUtilities,
    CommitmentsAndContracts,
    Honours,
    Other,
}

public static class ReportFields
{
    /// <summary>Fields for which the report states either the violations or that there were none.</summary>
    public static readonly IReadOnlyList<ReportField> ViolationFields =
    [
        ReportField.AdministrativeEnforcement, ReportField.Taxation, ReportField.Judicial, ReportField.CreditLists,
        ReportField.SocialInsuranceAndUtilities, ReportField.CommitmentsAndContracts,
    ];

    public static string Title(ReportField field) => field switch
    {
        ReportField.AdministrativeEnforcement => "市场监管与行政执法",
        ReportField.Taxation => "税务",
        ReportField.Judicial => "司法",
        ReportField.CreditLists => "严重失信与经营异常名单",
        ReportField.SocialInsuranceAndUtilities => "社会保险与公用事业缴费",
        ReportField.CommitmentsAndContracts => "信用承诺与合同履约",
        ReportField.Honours => "资质荣誉与守信激励",
        _ => "其他",
    };

    public static ReportField FieldOf(EventDetails details) => details switch
    {
        LicenceGranted or PenaltyImposed or CompulsoryMeasureImposed or AdjudicationDecided or InspectionCompleted => ReportField.AdministrativeEnforcement,
        TaxCreditRated or TaxArrearsRecorded or ArrearsCleared { Kind: ArrearsKind.Tax } => ReportField.Taxation,
        CourtJudgmentRecorded or DishonestJudgmentDebtorListed or RestrictedConsumptionOrdered or RestrictedConsumptionLifted => ReportField.Judicial,
        SeriousDishonestyListed or SeriousDishonestyRemoved or AbnormalOperationsListed or AbnormalOperationsRemoved => ReportField.CreditLists,
        UtilityPaymentRecorded or SocialInsuranceArrearsRecorded or ArrearsCleared => ReportField.SocialInsuranceAndUtilities,
        CommitmentMade or CommitmentBroken or ContractPerformanceRecorded => ReportField.CommitmentsAndContracts,
        RewardGranted or ConfirmationGranted or RedListed => ReportField.Honours,
        _ => ReportField.Other,
    };

    /// <summary>Whether the record states a violation or a dishonest act.</summary>
    public static bool IsViolation(EventDetails details) => details switch
    {
        PenaltyImposed or CompulsoryMeasureImposed or SeriousDishonestyListed or DishonestJudgmentDebtorListed
            or AbnormalOperationsListed or RestrictedConsumptionOrdered or TaxArrearsRecorded or SocialInsuranceArrearsRecorded
            or CommitmentBroken => true,
        AdjudicationDecided a => a.AgainstSubject,
        InspectionCompleted i => i.Result != InspectionResult.NoProblem,
        CourtJudgmentRecorded c => c.SubjectLost,
        TaxCreditRated t => t.Level == TaxCreditLevel.D,
        UtilityPaymentRecorded u => u.OverdueDays > 0,
        ContractPerformanceRecorded c => c.Outcome == ContractOutcome.Breached,
        _ => false,
    };

    /// <summary>What the record is, in the words a reader of the report expects.</summary>
    public static string Describe(EventDetails details) => details switch
    {
        LicenceGranted l => $"行政许可：{l.LicenceType}",
        PenaltyImposed p => "行政处罚：" + string.Join("、", p.PenaltyTypes.Select(PenaltyLabel)),
        CompulsoryMeasureImposed c => $"行政强制：{c.Measure}",
        AdjudicationDecided a => a.AgainstSubject ? "行政裁决（不利于本主体）" : "行政裁决",
        InspectionCompleted i => "检查结果：" + i.Result switch
        {
            InspectionResult.NoProblem => "未发现问题",
            InspectionResult.RectificationOrdered => "责令整改",
            InspectionResult.NotPublishedAsRequired => "未按规定公示",
            _ => "通过登记的住所无法联系",
        },
        SeriousDishonestyListed s => $"列入{s.ListName}（{s.Authority}）",
        SeriousDishonestyRemoved s => $"移出{s.ListName}（{s.Authority}）",
        DishonestJudgmentDebtorListed d => $"失信被执行人：{d.CaseNumber}（{d.Court}）",
        AbnormalOperationsListed a => $"列入经营异常名录（{a.Authority}）",
        AbnormalOperationsRemoved a => $"移出经营异常名录（{a.Authority}）",
        CourtJudgmentRecorded c => $"裁判文书：{c.CaseNumber}（{c.Court}）" + (c.SubjectLost ? "，败诉" : ""),
        RestrictedConsumptionOrdered r => $"限制消费令：{r.CaseNumber}（{r.Court}）",
        RestrictedConsumptionLifted r => $"解除限制消费：{r.CaseNumber}",
        TaxCreditRated t => $"{t.Year}年度纳税信用等级 {t.Level}",
        TaxArrearsRecorded t => t.AbnormalTaxpayer ? "非正常户" : "欠缴税款",
        UtilityPaymentRecorded u => u.OverdueDays > 0 ? $"{u.Month} 公用事业费逾期 {u.OverdueDays} 天" : $"{u.Month} 公用事业费按时缴纳",
        SocialInsuranceArrearsRecorded s => $"欠缴社会保险费 {s.Months} 个月",
        ArrearsCleared => "欠费已结清",
        ContractPerformanceRecorded c => c.Outcome == ContractOutcome.Breached ? $"合同违约（相对方：{c.Counterparty}）" : $"合同履约（相对方：{c.Counterparty}）",
        CommitmentMade c => $"信用承诺（{c.Acceptor}）",
        CommitmentBroken => "违背信用承诺",
        RewardGranted r => $"表彰奖励（{r.Level}）",
        ConfirmationGranted c => $"资质认定：{c.ConfirmationType}",
        RedListed r => $"列入{r.ListName}",
        RepairCompleted => "信用修复完成",
        ObjectionOpened => "异议申请",
        _ => "自主申报信息",
    };

    private static string PenaltyLabel(PenaltyType type) => type switch
    {
        PenaltyType.Warning => "警告",
        PenaltyType.Fine => "罚款",
        PenaltyType.ConfiscationOfIllegalGains => "没收违法所得",
        PenaltyType.SuspensionOfBusiness => "责令停产停业",
        PenaltyType.LicenceRevocation => "吊销许可证件",
        PenaltyType.QualificationDowngrade => "降低资质等级",
        PenaltyType.PracticeBan => "限制从业",
        PenaltyType.ClosureOrder => "责令关闭",
        PenaltyType.Detention => "行政拘留",
        PenaltyType.AggravatedFine => "从重罚款",
        _ => type.ToString(),
    };
}
