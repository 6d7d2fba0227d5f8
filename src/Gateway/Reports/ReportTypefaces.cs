using System.Collections.Concurrent;
using System.Text;
using SkiaSharp;

namespace CreditGrid.Gateway.Reports;

/// <summary>
/// The typefaces reports are set in, found through fontconfig: a CJK face (Debian <c>fonts-noto-cjk</c>) first, and
/// for any character it lacks, whatever face fontconfig offers for that character. Text is split into runs by the
/// face that has its glyphs, so Latin digits and codes never come out as empty boxes whichever CJK face is installed.
/// </summary>
public sealed class ReportTypefaces : IDisposable
{
    private static readonly string[] CjkFamilies = ["Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Droid Sans Fallback"];
    private readonly ConcurrentDictionary<int, SKTypeface> _fallbacks = new();
    private readonly SKFontManager _fonts = SKFontManager.Default;

    public ReportTypefaces()
    {
        Regular = Find(SKFontStyle.Normal) ?? throw new InvalidOperationException(
            "No CJK font found through fontconfig; install fonts-noto-cjk (Debian) to render credit reports.");
        Bold = Find(SKFontStyle.Bold) ?? Regular;
    }

    public SKTypeface Regular { get; }

    public SKTypeface Bold { get; }

    /// <summary>Splits text into runs of one face each: the preferred face where it has the glyph, a fallback elsewhere.</summary>
    public IEnumerable<(SKTypeface Typeface, string Text)> Runs(string text, SKTypeface preferred)
    {
        using var probe = new SKFont(preferred);
        var run = new StringBuilder();
        SKTypeface? current = null;
        foreach (var rune in text.EnumerateRunes())
        {
            var face = probe.GetGlyph(rune.Value) != 0 || Rune.IsWhiteSpace(rune) ? preferred : Fallback(rune.Value) ?? preferred;
            if (current is not null && face != current)
            {
                yield return (current, run.ToString());
                run.Clear();
            }

            current = face;
            run.Append(rune.ToString());
        }

        if (current is not null)
        {
            yield return (current, run.ToString());
        }
    }

    public void Dispose()
    {
        foreach (var face in _fallbacks.Values.Distinct())
        {
            face.Dispose();
        }

        if (Bold != Regular)
        {
            Bold.Dispose();
        }

        Regular.Dispose();
    }

    private SKTypeface? Find(SKFontStyle style)
    {
        foreach (var family in CjkFamilies)
        {
            var face = _fonts.MatchFamily(family, style);
            if (face is not null && string.Equals(face.FamilyName, family, StringComparison.OrdinalIgnoreCase))
            {
                return face;
            }

            face?.Dispose();
        }

        // Any face fontconfig would use for a common ideograph.
        return _fonts.MatchCharacter('信');
    }

    private SKTypeface? Fallback(int codepoint) =>
        _fallbacks.TryGetValue(codepoint, out var known) ? known : _fonts.MatchCharacter(codepoint) is { } found ? _fallbacks.GetOrAdd(codepoint, found) : null;
}
