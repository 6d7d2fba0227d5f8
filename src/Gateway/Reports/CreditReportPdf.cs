using System.Globalization;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;
using SkiaSharp;

namespace CreditGrid.Gateway.Reports;

/// <summary>Renders a report's content as an A4 PDF; pure apart from reading installed fonts.</summary>
public sealed class CreditReportPdf(ReportTypefaces faces)
{
    public const string Title = "专用信用报告";
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);
    private static readonly string[] Numerals = ["一", "二", "三", "四", "五", "六"];

    /// <param name="contentHash">SHA-256 of the canonical content (<see cref="ReportHash.Of"/>), printed on the report.</param>
    public byte[] Render(CreditReportContent content, string contentHash)
    {
        using var stream = new MemoryStream();
        var issued = content.IssuedAt.ToOffset(ChinaStandardTime);
        var metadata = new SKDocumentPdfMetadata
        {
            Title = $"{Title} {content.Subject.Uscc}",
            Subject = content.VerificationCode,
            Creator = "CreditGrid",
            Producer = "CreditGrid",
            Creation = issued.UtcDateTime,
            Modified = issued.UtcDateTime,
        };
        using (var document = SKDocument.CreatePdf(stream, metadata))
        using (var writer = new PdfPageWriter(document, faces, (w, page) => Footer(w, page, content.VerificationCode)))
        {
            Write(writer, content, contentHash, issued);
            writer.Finish();
            document.Close();
        }

        return stream.ToArray();
    }

    private static void Write(PdfPageWriter w, CreditReportContent c, string contentHash, DateTimeOffset issued)
    {
        var heading = 0;
        w.Paragraph(Title, 22, bold: true, spaceAfter: 2);
        w.Paragraph("（代替无违法违规记录证明）", 11, spaceAfter: 2, color: SKColors.DimGray);
        w.Paragraph($"报告编号（验证码）：{c.VerificationCode}    出具时间：{issued:yyyy-MM-dd HH:mm:ss}（北京时间）", 9.5f, color: SKColors.DimGray);
        w.Rule();

        w.Paragraph($"{Numerals[heading++]}、主体信息", 13, bold: true);
        w.Paragraph($"主体名称：{c.Subject.Name ?? "（未登记名称）"}", 10.5f, indent: 12, spaceAfter: 0);
        w.Paragraph($"统一社会信用代码：{c.Subject.Uscc}", 10.5f, indent: 12, spaceAfter: 0);
        w.Paragraph($"主体类型：{SubjectTypeLabel(c.Subject.SubjectType)}", 10.5f, indent: 12, spaceAfter: 0);
        w.Paragraph($"登记地：{Place(c.Subject)}", 10.5f, indent: 12);

        w.Paragraph($"{Numerals[heading++]}、公共信用综合评价（出具时）", 13, bold: true);
        w.Paragraph($"综合评价等级：{c.Standing.Grade}（{GradeLabel(c.Standing.Grade)}）    综合评分：{c.Standing.Score} / 1000", 10.5f, indent: 12, spaceAfter: 0);
        w.Paragraph($"评价时点：{c.Standing.AsOf.ToOffset(ChinaStandardTime):yyyy-MM-dd HH:mm}    评价规则版本：{c.Standing.RulesVersion}", 10.5f, indent: 12);

        w.Paragraph($"{Numerals[heading++]}、分领域信用记录（报告期 {Day(c.PeriodFrom)} 至 {Day(c.PeriodTo)}）", 13, bold: true);
        var number = 0;
        foreach (var section in c.Sections)
        {
            w.Paragraph($"（{++number}）{section.Title}", 11, bold: true, indent: 6, spaceAfter: 2);
            if (section.StatesViolations && section.Violations.Count == 0)
            {
                w.Paragraph("报告期内该领域无违法违规记录。", 10.5f, indent: 24, spaceAfter: 2);
            }

            foreach (var entry in section.Violations)
            {
                var document = entry.DocumentNumber is null ? "" : $"，文书号 {entry.DocumentNumber}";
                var amount = entry.Amount is { } a ? $"，金额 {a.ToString("#,0.##", CultureInfo.InvariantCulture)} 元" : "";
                w.Paragraph($"· {Day(entry.DecisionDate)} {entry.Description}{document}{amount}（提供部门 {entry.SourceDepartment}）", 10, indent: 24, spaceAfter: 1);
            }

            if (section.OtherRecords > 0)
            {
                w.Paragraph($"报告期内该领域其他信用记录 {section.OtherRecords} 条（许可、评价、按时履约等）。", 10, indent: 24, spaceAfter: 2, color: SKColors.DimGray);
            }

            w.Paragraph("", 4, spaceAfter: 0);
        }

        w.Paragraph($"{Numerals[heading]}、报告验证", 13, bold: true);
        w.Paragraph($"验证码：{c.VerificationCode}", 10.5f, indent: 12, spaceAfter: 0);
        // The digest gets a line of its own: wrapped after the label it could break mid-hash, and a reader copying it
        // would get two pieces.
        w.Paragraph("内容摘要（SHA-256）：", 9.5f, indent: 12, spaceAfter: 0);
        w.Paragraph(contentHash, 9.5f, indent: 24, spaceAfter: 0);
        w.Paragraph($"查验：GET /api/v1/public/reports/{c.VerificationCode} 返回本报告的登记信息与摘要；将本 PDF 文件原样提交至 POST /api/v1/public/reports/{c.VerificationCode}/verification 可确认文件未被篡改。", 9.5f, indent: 12);
        w.Rule();
        w.Paragraph("本报告依据出具时归集的公共信用信息生成，仅反映报告期内的记录；已完成信用修复或经异议核实更正的记录不再列示。", 9, color: SKColors.DimGray);
    }

    private static void Footer(PdfPageWriter w, int page, string code) =>
        w.DrawAt($"{Title}    验证码 {code}    第 {page} 页", PdfPageWriter.Margin, PdfPageWriter.PageHeight - 30, 8.5f, SKColors.Gray);

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Place(ReportSubject s) =>
        s.CityName is null ? s.DivisionName ?? s.DivisionCode ?? "—"
        : s.DivisionName is null || s.DivisionName == s.CityName ? $"{s.CityName}（{s.DivisionCode}）"
        : $"{s.CityName}{s.DivisionName}（{s.DivisionCode}）";

    public static string SubjectTypeLabel(SubjectType type) => type switch
    {
        SubjectType.Enterprise => "企业",
        SubjectType.IndividualBusiness => "个体工商户",
        SubjectType.SocialOrganisation => "社会组织",
        SubjectType.GovernmentBody => "机关事业单位",
        _ => "其他",
    };

    public static string GradeLabel(CreditGrade grade) => grade switch
    {
        CreditGrade.A => "优，诚信",
        CreditGrade.B => "良，基本诚信",
        CreditGrade.C => "中，失信观察",
        _ => "差，严重失信",
    };
}
