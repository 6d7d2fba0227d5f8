using System.Text.Json;
using CreditGrid.Grains.PreCredit;

namespace CreditGrid.Grains.Tests.PreCredit;

/// <summary>
/// The desk writes the decision document by hand (DecisionDocumentWriter) on a relaxed-escaping writer; the bytes
/// must be exactly those of the serializer with the document options, which the store, the answer and a read-back use.
/// </summary>
public sealed class DecisionDocumentTests
{
    [Fact]
    public void TheHandWrittenDocumentIsTheSerializersBytes()
    {
        var random = new Random(7);
        for (var n = 0; n < 500; n++)
        {
            var view = Decision(random, n);

            var expected = JsonSerializer.SerializeToUtf8Bytes(view, DecisionDocument.TypeInfo);

            Assert.Equal(expected, DecisionDocument.Serialize(view));
        }
    }

    [Fact]
    public void TheDocumentReadsBackAsTheDecision()
    {
        var view = Decision(new Random(3), 1);

        var read = JsonSerializer.Deserialize(DecisionDocument.Serialize(view), DecisionDocument.TypeInfo)!;

        Assert.Equal(view.Id, read.Id);
        Assert.Equal(view.Reasons, read.Reasons);
        Assert.Equal(view.TopReasons.Select(f => f.Feature), read.TopReasons.Select(f => f.Feature));
        for (var i = 0; i < view.TopReasons.Count; i++)
        {
            AssertSameNumber(view.TopReasons[i].Value, read.TopReasons[i].Value);
            AssertSameNumber(view.TopReasons[i].Contribution, read.TopReasons[i].Contribution);
        }

        AssertSameNumber(view.Pd, read.Pd);
        Assert.Equal(view.Features.Keys.Order(StringComparer.Ordinal), read.Features.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, value) in view.Features)
        {
            AssertSameNumber(value, read.Features[name]);
        }

        Assert.Equal(view.ExpiresAt, read.ExpiresAt);
    }

    [Fact]
    public void TheModelsSinglePrecisionNumbersAreWrittenShortAndOthersInFull()
    {
        var view = Decision(new Random(11), 1) with
        {
            Pd = 0.0123f,
            Features = new Dictionary<string, double> { ["log_annual_tax_paid"] = 13.122363f, ["annual_tax_paid"] = 501_234.56 },
        };

        var json = System.Text.Encoding.UTF8.GetString(DecisionDocument.Serialize(view));

        Assert.Contains("\"pd\":0.0123,", json, StringComparison.Ordinal);
        Assert.Contains("\"features\":{\"log_annual_tax_paid\":13.122363,\"annual_tax_paid\":501234.56}", json, StringComparison.Ordinal);
    }

    /// <summary>
    /// Whole numbers below the limit are written as integers; for every one of them, and for negative zero and the
    /// limit itself (which take the floating-point path), the text is what the floating-point form would give.
    /// </summary>
    [Fact]
    public void WholeNumbersAreWrittenAsTheFloatingPointFormsWouldBe()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer);
        var limit = (int)SinglePrecisionNumberConverter.WholeNumberLimit;
        for (var n = -limit; n <= limit; n++)
        {
            AssertWrittenAsFloatingPoint(n);
        }

        AssertWrittenAsFloatingPoint(-0.0);
        AssertWrittenAsFloatingPoint(123456.5);
        AssertWrittenAsFloatingPoint(2_000_000);

        void AssertWrittenAsFloatingPoint(double value)
        {
            buffer.ResetWrittenCount();
            writer.Reset();
            SinglePrecisionNumberConverter.WriteNumber(writer, value);
            writer.Flush();
            var written = buffer.WrittenSpan.ToArray();

            buffer.ResetWrittenCount();
            writer.Reset();
            if ((float)value == value)
            {
                writer.WriteNumberValue((float)value);
            }
            else
            {
                writer.WriteNumberValue(value);
            }

            writer.Flush();
            if (!buffer.WrittenSpan.SequenceEqual(written))
            {
                Assert.Fail($"{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}: wrote {System.Text.Encoding.UTF8.GetString(written)}, the floating-point form is {System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan)}");
            }
        }
    }

    /// <summary>
    /// A number that is exactly a single-precision value reads back as that value (the document writes the shortest
    /// form of it); any other reads back exactly.
    /// </summary>
    private static void AssertSameNumber(double written, double read)
    {
        if ((float)written == written)
        {
            Assert.Equal((float)written, (float)read);
        }
        else
        {
            Assert.Equal(written, read);
        }
    }

    [Fact]
    public void AnOutsizedDocumentIsWrittenWhole()
    {
        var view = Decision(new Random(5), 2) with { Purpose = new string('资', 40_000) };

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(view, DecisionDocument.TypeInfo), DecisionDocument.Serialize(view));
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(view with { Purpose = "after" }, DecisionDocument.TypeInfo), DecisionDocument.Serialize(view with { Purpose = "after" }));
    }

    [Fact]
    public void DeskInputsAreWrittenUnderTheirOwnNamesAsEachWritersEncoderWouldWriteThem()
    {
        // The desk's inputs are written under names encoded once and reused while the same names and encoder come back;
        // alternating name sets and encoders must still give, every time, what writing each name afresh gives.
        var random = new Random(13);
        System.Collections.Immutable.ImmutableArray<string>[] nameSets =
        [
            [.. Domain.PreCredit.PreCreditFeatureVector.Names],
            ["税额<年>", "a\"b", "plain", "风险 & 'x'"],
            ["plain", "税额<年>", "a\"b", "风险 & 'x'"],
        ];
        System.Text.Encodings.Web.JavaScriptEncoder?[] encoders = [null, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping];
        for (var n = 0; n < 60; n++)
        {
            // The same names twice in a row under different encoders, then the next set.
            var names = nameSets[(n / encoders.Length) % nameSets.Length];
            var encoder = encoders[n % encoders.Length];
            var numbers = names.Select(_ => (double)(float)(random.NextDouble() * 1000)).ToArray();
            var inputs = new DecisionInputs(names, [.. numbers]);
            var byName = names.Zip(numbers).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);

            Assert.Equal(Written(byName, encoder), Written(inputs, encoder));
        }
    }

    private static string Written(IReadOnlyDictionary<string, double> inputs, System.Text.Encodings.Web.JavaScriptEncoder? encoder)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = encoder }))
        {
            SinglePrecisionInputsConverter.WriteInputs(writer, inputs);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static PreCreditDecisionView Decision(Random random, int n)
    {
        var features = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var name in Domain.PreCredit.PreCreditFeatureVector.Names)
        {
            features[name] = n % 5 == 0 ? Math.Round(random.NextDouble() * 1000) : (float)(random.NextDouble() * Math.Pow(10, random.Next(-6, 9)));
        }

        features["grade"] = random.Next(1, 5);
        features["annual_tax_paid"] = random.NextDouble() * 1e7;
        var offset = TimeSpan.FromHours(n % 3 == 0 ? 8 : n % 3 == 1 ? 0 : -5);
        var decidedAt = new DateTimeOffset(2026, 11, 28, 8, 0, 0, offset).AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 400));
        FactorView Factor(string name) => new(name, random.NextDouble() * 900, (float)((random.NextDouble() - 0.5) * 3));
        return new PreCreditDecisionView(
            Guid.CreateVersion7(decidedAt),
            "91610100MA6TGXXX0" + (n % 10),
            "91610103MA6U" + n.ToString("D6", System.Globalization.CultureInfo.InvariantCulture),
            Math.Round((decimal)(random.NextDouble() * 5_000_000), n % 4),
            n % 7 == 0 ? "流动资金 \"周转\" <采购> & 'x' + \\ \u0001 \u2028 😀" : "working capital",
            n % 3 == 0 ? "REJECT" : n % 3 == 1 ? "REFER" : "APPROVE_INDICATIVE",
            n % 3 == 0 ? [DecisionComposer.Reason(Domain.PreCredit.PreCreditReason.R01SeriousDishonestyList), DecisionComposer.Reason(Domain.PreCredit.PreCreditReason.R04AbnormalOperations)] : [],
            n % 3 == 2 ? 350_000m : 0m,
            n % 3 == 2 ? new RateBandView(random.Next(1, 4), "LPR", 50, 120) : null,
            n % 2 == 0 ? (float)random.NextDouble() : random.NextDouble(),
            [Factor("composite_score"), Factor("age_months"), Factor("tax_rating")],
            n % 2 == 0 ? [Factor("penalties_24m")] : [],
            "precredit-default-a6c1aaf5",
            "precredit-policy-v1",
            "rules-2023.1",
            n % 4 == 0 ? new ShadowScore("challenger-1", n % 8 == 0 ? (float)random.NextDouble() : random.NextDouble(), "REFER") : null,
            features,
            decidedAt.AddDays(-random.Next(0, 30)),
            decidedAt,
            decidedAt.AddDays(30));
    }
}
