using CreditGrid.Grains;
using CreditGrid.Domain.Scoring;
using CreditGrid.Gateway.Public;
using CreditGrid.Grains.Subjects;
using CreditGrid.Storage;

namespace CreditGrid.Gateway.Reports;

/// <summary>
/// Issues special credit reports: reads the subject's evaluation and log, composes the content, renders the PDF,
/// and registers code, period and both hashes before the document is handed out.
/// </summary>
public sealed class CreditReportService(
    IGrainFactory grains,
    ICreditEventLog log,
    ICreditReportRegistry registry,
    CreditReportPdf renderer,
    TimeProvider time)
{
    /// <summary>The issued report, or null when the log holds nothing about the enterprise.</summary>
    public async Task<IssuedDocument?> IssueAsync(string uscc, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var view = await grains.Reference<IEnterpriseGrain>(uscc).GetViewAsync();
        if (view is null)
        {
            return null;
        }

        var history = await SubjectHistory.ReadAsync(log, uscc, cancellationToken);
        var issuedAt = time.GetUtcNow();
        while (true)
        {
            var content = CreditReportComposer.Compose(VerificationCode.New(), issuedAt, from, to, view, history);
            var contentHash = ReportHash.Of(content);
            var pdf = renderer.Render(content, contentHash);
            var entry = new IssuedReport(
                content.VerificationCode,
                uscc,
                content.Subject.Name,
                view.SubjectType.ToString(),
                from,
                to,
                issuedAt,
                view.Grade.ToString(),
                view.Score,
                view.RulesVersion,
                contentHash,
                ReportHash.Sha256(pdf));

            // An 80-bit code colliding is all but impossible; if it happens, the report is issued under a fresh one.
            if (await registry.RegisterAsync(entry, cancellationToken))
            {
                return new IssuedDocument(entry, pdf);
            }
        }
    }

    /// <summary>Whether the bytes are exactly the PDF issued under the code; null when no report has that code.</summary>
    public async Task<(IssuedReport Report, bool Matches)?> VerifyAsync(string code, ReadOnlyMemory<byte> document, CancellationToken cancellationToken) =>
        await registry.FindAsync(code, cancellationToken) is { } report
            ? (report, string.Equals(report.DocumentSha256, ReportHash.Sha256(document.Span), StringComparison.Ordinal))
            : null;

    /// <summary>Today in Shaanxi, which a report period defaults to ending on.</summary>
    public DateOnly Today(CreditRules rules) => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(rules.LocalUtcOffset).DateTime);
}

/// <summary>An issued report: its registry entry and the PDF bytes.</summary>
public sealed record IssuedDocument(IssuedReport Report, byte[] Pdf);
