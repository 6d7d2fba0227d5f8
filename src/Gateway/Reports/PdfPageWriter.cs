using System.Text;
using HarfBuzzSharp;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace CreditGrid.Gateway.Reports;

/// <summary>
/// Lays lines of text down A4 pages of a PDF, top to bottom, starting a new page when one is full. Each run is shaped
/// with HarfBuzz and drawn as a text blob that carries its UTF-8 text and clusters, so the PDF's text layer says what
/// was written even where a CJK font maps one glyph to several code points (用 and the Kangxi radical ⽤).
/// </summary>
internal sealed class PdfPageWriter : IDisposable
{
    public const float PageWidth = 595f;
    public const float PageHeight = 842f;
    public const float Margin = 56f;

    private readonly SKDocument _document;
    private readonly ReportTypefaces _faces;
    private readonly Action<PdfPageWriter, int> _footer;
    private readonly Dictionary<SKTypeface, SKShaper> _shapers = [];
    private readonly SKPaint _ink = new() { Color = SKColors.Black, IsAntialias = true };
    private SKCanvas? _canvas;
    private int _page;
    private float _y;

    public PdfPageWriter(SKDocument document, ReportTypefaces faces, Action<PdfPageWriter, int> footer)
    {
        _document = document;
        _faces = faces;
        _footer = footer;
    }

    public float ContentWidth => PageWidth - (2 * Margin);

    /// <summary>Writes a paragraph, wrapped to the content width, and moves below it.</summary>
    public void Paragraph(string text, float size, bool bold = false, float indent = 0, float spaceAfter = 4, SKColor? color = null)
    {
        var face = bold ? _faces.Bold : _faces.Regular;
        foreach (var line in Wrap(text, face, size, ContentWidth - indent))
        {
            EnsureRoom(size * 1.5f);
            _y += size * 1.2f;
            DrawLine(line, Margin + indent, _y, face, size, color ?? SKColors.Black);
            _y += size * 0.3f;
        }

        _y += spaceAfter;
    }

    /// <summary>A thin rule across the content width.</summary>
    public void Rule(float spaceAfter = 6)
    {
        EnsureRoom(4);
        using var pen = new SKPaint { Color = SKColors.Gray, StrokeWidth = 0.6f, IsStroke = true };
        _canvas!.DrawLine(Margin, _y + 2, PageWidth - Margin, _y + 2, pen);
        _y += 4 + spaceAfter;
    }

    /// <summary>Text at a fixed position of the current page, for footers.</summary>
    public void DrawAt(string text, float x, float baseline, float size, SKColor color) => DrawLine(text, x, baseline, _faces.Regular, size, color);

    public void Finish()
    {
        if (_canvas is not null)
        {
            _footer(this, _page);
            _document.EndPage();
            _canvas = null;
        }
    }

    public void Dispose()
    {
        foreach (var shaper in _shapers.Values)
        {
            shaper.Dispose();
        }

        _ink.Dispose();
    }

    private void EnsureRoom(float height)
    {
        if (_canvas is not null && _y + height <= PageHeight - Margin - 20)
        {
            return;
        }

        Finish();
        _canvas = _document.BeginPage(PageWidth, PageHeight);
        _page++;
        _y = Margin;
    }

    private void DrawLine(string text, float x, float baseline, SKTypeface preferred, float size, SKColor color)
    {
        _ink.Color = color;
        foreach (var (face, run) in _faces.Runs(text, preferred))
        {
            using var font = new SKFont(face, size);
            var shaper = Shaper(face);
            var utf8 = Encoding.UTF8.GetBytes(run);
            using var buffer = new HarfBuzzSharp.Buffer();
            buffer.AddUtf8(utf8);
            buffer.GuessSegmentProperties();
            var shaped = shaper.Shape(buffer, 0, 0, font);
            if (shaped.Codepoints.Length == 0)
            {
                continue;
            }

            using var builder = new SKTextBlobBuilder();
            var blobRun = builder.AllocatePositionedTextRun(font, shaped.Codepoints.Length, utf8.Length);
            var glyphs = blobRun.Glyphs;
            var positions = blobRun.Positions;
            var clusters = blobRun.Clusters;
            for (var i = 0; i < shaped.Codepoints.Length; i++)
            {
                glyphs[i] = (ushort)shaped.Codepoints[i];
                positions[i] = shaped.Points[i];
                clusters[i] = shaped.Clusters[i];
            }

            utf8.CopyTo(blobRun.Text);
            using var blob = builder.Build();
            if (blob is not null)
            {
                _canvas!.DrawText(blob, x, baseline, _ink);
            }

            x += shaped.Width;
        }
    }

    private SKShaper Shaper(SKTypeface face)
    {
        if (!_shapers.TryGetValue(face, out var shaper))
        {
            shaper = new SKShaper(face);
            _shapers[face] = shaper;
        }

        return shaper;
    }

    // Greedy wrapping by measured advance; CJK text may break between any two characters, Latin words are kept whole
    // where they fit on a line of their own.
    private IEnumerable<string> Wrap(string text, SKTypeface face, float size, float width)
    {
        using var font = new SKFont(face, size);
        var line = new StringBuilder();
        var lineWidth = 0f;
        foreach (var element in Tokens(text))
        {
            var w = font.MeasureText(element);
            if (lineWidth + w > width && line.Length > 0)
            {
                yield return line.ToString().TrimEnd();
                line.Clear();
                lineWidth = 0;
                if (string.IsNullOrWhiteSpace(element))
                {
                    continue;
                }
            }

            line.Append(element);
            lineWidth += w;
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    private static IEnumerable<string> Tokens(string text)
    {
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsAscii && !Rune.IsWhiteSpace(rune))
            {
                word.Append(rune.ToString());
                continue;
            }

            if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }

            yield return rune.ToString();
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }
}
