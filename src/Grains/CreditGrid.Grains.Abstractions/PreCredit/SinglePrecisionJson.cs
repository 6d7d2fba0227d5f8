using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CreditGrid.Grains.PreCredit;

/// <summary>
/// Writes a number that is exactly a single-precision value in the shortest form that reads back as that value:
/// 13.122363 rather than the 13.122363090515137 of its widened double. The model reads its inputs, and computes its
/// contributions and probabilities, in <see cref="float"/>, so the shorter form states exactly what it saw and
/// computed; any other number (an amount with cents, say) is written as a double. Why: a decision document carries
/// some forty such numbers, and formatting them as doubles was half its serialisation.
/// </summary>
public sealed class SinglePrecisionNumberConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => WriteNumber(writer, value);

    /// <summary>Whole numbers below this magnitude are written as integers (see <see cref="WriteNumber"/>).</summary>
    public const double WholeNumberLimit = 1_000_000;

    /// <summary>The number as this converter writes it.</summary>
    public static void WriteNumber(Utf8JsonWriter writer, double value)
    {
        // Counts, months, flags and grades (most of a decision's inputs) are whole: written as integers they read the
        // same as in the shortest floating-point form below, which costs several times as much to find. Negative zero
        // keeps its sign through the floating-point path.
        if (Math.Abs(value) < WholeNumberLimit && value == Math.Truncate(value) && !(value == 0 && double.IsNegative(value)))
        {
            writer.WriteNumberValue((long)value);
            return;
        }

        var single = (float)value;
        if (single == value && float.IsFinite(single))
        {
            writer.WriteNumberValue(single);
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }
}

/// <summary>A decision's inputs by name, each number written as <see cref="SinglePrecisionNumberConverter"/> writes it.</summary>
public sealed class SinglePrecisionInputsConverter : JsonConverter<IReadOnlyDictionary<string, double>>
{
    public override IReadOnlyDictionary<string, double> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a decision's inputs must be an object of numbers");
        }

        var inputs = new Dictionary<string, double>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            inputs[name] = reader.GetDouble();
        }

        return inputs;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, double> value, JsonSerializerOptions options) => WriteInputs(writer, value);

    /// <summary>The inputs as this converter writes them.</summary>
    public static void WriteInputs(Utf8JsonWriter writer, IReadOnlyDictionary<string, double> inputs)
    {
        writer.WriteStartObject();
        if (inputs is DecisionInputs desk)
        {
            // The desk's own inputs: written by position, without an enumerator or a call through the interface, under
            // names encoded once for every decision that shares them.
            var names = EncodedNames.For(desk.Names, writer.Options.Encoder);
            for (var i = 0; i < names.Length; i++)
            {
                writer.WritePropertyName(names[i]);
                SinglePrecisionNumberConverter.WriteNumber(writer, desk.Numbers[i]);
            }
        }
        else
        {
            foreach (var (name, number) in inputs)
            {
                WriteInput(writer, name, number);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteInput(Utf8JsonWriter writer, string name, double number)
    {
        writer.WritePropertyName(name);
        SinglePrecisionNumberConverter.WriteNumber(writer, number);
    }
}

/// <summary>
/// The input names of the latest decisions, escaped and in UTF-8 once: every decision of a desk shares one array of
/// names, and writing 25 names from strings (escaping check and transcoding each) was most of the inputs' cost.
/// </summary>
internal sealed class EncodedNames
{
    private static EncodedNames? s_latest;

    private readonly string[] _source;
    private readonly JavaScriptEncoder? _encoder;
    private readonly JsonEncodedText[] _encoded;

    private EncodedNames(string[] source, JavaScriptEncoder? encoder)
    {
        (_source, _encoder) = (source, encoder);
        _encoded = Array.ConvertAll(source, name => JsonEncodedText.Encode(name, encoder));
    }

    /// <summary>
    /// <paramref name="names"/> encoded as a writer with <paramref name="encoder"/> would write them; reused while the
    /// same array and encoder come back, rebuilt (and kept instead) for any other.
    /// </summary>
    public static ReadOnlySpan<JsonEncodedText> For(ImmutableArray<string> names, JavaScriptEncoder? encoder)
    {
        var source = ImmutableCollectionsMarshal.AsArray(names)!;
        var latest = s_latest;
        if (latest is null || !ReferenceEquals(latest._source, source) || !ReferenceEquals(latest._encoder, encoder))
        {
            latest = new EncodedNames(source, encoder);
            s_latest = latest;
        }

        return latest._encoded;
    }
}
