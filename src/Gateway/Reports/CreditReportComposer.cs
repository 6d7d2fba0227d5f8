using CreditGrid.Domain.Disclosure;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Reference;
using CreditGrid.Grains.Subjects;

namespace CreditGrid.Gateway.Reports;

/// <summary>Builds a report's content from the subject's evaluation and its log; pure.</summary>
public static class CreditReportComposer
{
    /// <param name="history">The subject's whole log, in sequence order.</param>
    public static CreditReportContent Compose(
        string verificationCode,
        DateTimeOffset issuedAt,
        DateOnly from,
        DateOnly to,
        SubjectView view,
        IReadOnlyList<CreditEvent> history)
    {
        // Repaired records and records the provider confirmed wrong are no longer the subject's record.
        var withdrawn = history
            .Select(e => e.Details switch
            {
                RepairCompleted r => r.TargetRecordId,
                ObjectionOpened { Status: ObjectionStatus.ErrorConfirmed } o => o.TargetRecordId,
                _ => null,
            })
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var inPeriod = history.Where(e => e.DecisionDate >= from && e.DecisionDate <= to && !withdrawn.Contains(e.RecordId)).ToList();

        var sections = Enum.GetValues<ReportField>()
            .Select(field =>
            {
                var records = inPeriod.Where(e => ReportFields.FieldOf(e.Details) == field).ToList();
                var violations = records.Where(e => ReportFields.IsViolation(e.Details)).OrderBy(e => e.DecisionDate).ThenBy(e => e.RecordId, StringComparer.Ordinal).Select(Entry).ToList();
                return new ReportSection(field, ReportFields.Title(field), ReportFields.ViolationFields.Contains(field), violations, records.Count - violations.Count);
            })
            .Where(s => s.StatesViolations || s.Violations.Count + s.OtherRecords > 0)
            .ToList();

        var division = view.DivisionCode is { } code ? AdministrativeDivisions.Find(code) : null;
        var city = view.DivisionCode is { } c ? AdministrativeDivisions.CityLevelOf(c) : null;
        return new CreditReportContent(
            verificationCode,
            issuedAt,
            from,
            to,
            new ReportSubject(view.SubjectId, PersonalDataMasker.MaskSubjectName(view.SubjectName, view.SubjectType), view.SubjectType, view.DivisionCode, division?.Name, city?.Name),
            new ReportStanding(view.Grade, view.Score, view.AsOf, view.RulesVersion),
            sections);
    }

    private static ReportEntry Entry(CreditEvent e) => new(
        e.RecordId,
        e.DecisionDate,
        PersonalDataMasker.MaskText(ReportFields.Describe(e.Details))!,
        PersonalDataMasker.MaskText(e.DecisionDocumentNumber),
        e.SourceDepartment,
        e.Amount);
}
