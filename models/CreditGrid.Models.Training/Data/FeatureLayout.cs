using System.Globalization;
using System.Text.Json.Serialization;

namespace CreditGrid.Models.Training.Data;

/// <summary>How a column enters the model.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ColumnKind>))]
public enum ColumnKind
{
    /// <summary>Parsed as a number; missing values become NaN and get a missing indicator.</summary>
    Numeric,

    /// <summary>A low-cardinality string, one-hot encoded.</summary>
    OneHot,

    /// <summary>A high-cardinality string, hashed into a fixed number of indicator slots.</summary>
    Hashed,
}

/// <summary>One input column of the model, as inferred from the training file.</summary>
/// <param name="Name">Header name.</param>
/// <param name="Kind">Encoding chosen for the column.</param>
/// <param name="Missing">Rows where the value was missing (empty, "?", "NA").</param>
/// <param name="Distinct">Distinct non-missing values seen.</param>
public sealed record FeatureColumn(string Name, ColumnKind Kind, int Missing, int Distinct);

/// <summary>
/// The columns a model reads and how each is encoded. It travels inside the model file so that scoring a new
/// file uses exactly the columns and encodings chosen at training time.
/// </summary>
/// <param name="Label">Name of the label column.</param>
/// <param name="Id">Name of the identifier column excluded from the features, if any.</param>
/// <param name="Columns">Feature columns in model order.</param>
public sealed record FeatureLayout(string Label, string? Id, IReadOnlyList<FeatureColumn> Columns)
{
    /// <summary>Above this many distinct values a string column is hashed rather than one-hot encoded.</summary>
    public const int MaxOneHotCardinality = 50;

    /// <summary>Numeric feature columns, in model order.</summary>
    [JsonIgnore]
    public IReadOnlyList<FeatureColumn> Numeric => [.. Columns.Where(c => c.Kind == ColumnKind.Numeric)];

    /// <summary>One-hot feature columns, in model order.</summary>
    [JsonIgnore]
    public IReadOnlyList<FeatureColumn> OneHot => [.. Columns.Where(c => c.Kind == ColumnKind.OneHot)];

    /// <summary>Hashed feature columns, in model order.</summary>
    [JsonIgnore]
    public IReadOnlyList<FeatureColumn> Hashed => [.. Columns.Where(c => c.Kind == ColumnKind.Hashed)];

    /// <summary>Tokens read as a missing value, compared case-insensitively after trimming.</summary>
    public static bool IsMissing(string value) =>
        value.Length == 0
        || value == "?"
        || value.Equals("NA", StringComparison.OrdinalIgnoreCase)
        || value.Equals("N/A", StringComparison.OrdinalIgnoreCase)
        || value.Equals("NaN", StringComparison.OrdinalIgnoreCase)
        || value.Equals("null", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a numeric cell in the invariant culture; <c>null</c> when it is not a number.</summary>
    public static double? TryParseNumber(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : null;

    /// <summary>
    /// Scans every column except the label and the id: a column is numeric when every non-missing value parses
    /// as a number, otherwise categorical, one-hot up to <see cref="MaxOneHotCardinality"/> values and hashed beyond.
    /// </summary>
    /// <param name="ignore">Further columns kept out of the features, such as a simulator's true PD.</param>
    /// <exception cref="InputDataException">The id column is absent or no feature column remains.</exception>
    public static FeatureLayout Infer(CsvTable table, string label, string? id, string source, IReadOnlyCollection<string>? ignore = null)
    {
        foreach (var name in ignore ?? [])
        {
            if (table.IndexOf(name) < 0)
            {
                throw new InputDataException($"{source}: no column '{name}' to ignore");
            }
        }

        if (id is not null && table.IndexOf(id) < 0)
        {
            throw new InputDataException($"{source}: no id column '{id}'");
        }

        var columns = new List<FeatureColumn>();
        for (var c = 0; c < table.Header.Count; c++)
        {
            var name = table.Header[c];
            if (name == label || name == id || (ignore?.Contains(name) ?? false))
            {
                continue;
            }

            var missing = 0;
            var numeric = true;
            var distinct = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in table.Rows)
            {
                var value = row[c];
                if (IsMissing(value))
                {
                    missing++;
                    continue;
                }

                distinct.Add(value);
                numeric = numeric && TryParseNumber(value) is not null;
            }

            var kind = numeric ? ColumnKind.Numeric
                : distinct.Count <= MaxOneHotCardinality ? ColumnKind.OneHot
                : ColumnKind.Hashed;
            columns.Add(new FeatureColumn(name, kind, missing, distinct.Count));
        }

        if (columns.Count == 0)
        {
            throw new InputDataException($"{source}: no feature columns besides the label{(id is null ? string.Empty : " and the id")}");
        }

        return new FeatureLayout(label, id, columns);
    }

    /// <summary>
    /// Turns the table into model rows. Every layout column must be present; numeric cells that are not numbers
    /// are rejected with their line, so a file scored later cannot silently shift a column's meaning.
    /// </summary>
    public IReadOnlyList<FeatureRow> ToRows(CsvTable table, bool[] labels, string source)
    {
        var numeric = Resolve(table, Numeric, source);
        var oneHot = Resolve(table, OneHot, source);
        var hashed = Resolve(table, Hashed, source);
        var rows = new FeatureRow[table.Rows.Count];
        for (var r = 0; r < rows.Length; r++)
        {
            var cells = table.Rows[r];
            var numbers = new float[numeric.Length];
            for (var i = 0; i < numeric.Length; i++)
            {
                var value = cells[numeric[i]];
                if (IsMissing(value))
                {
                    numbers[i] = float.NaN;
                    continue;
                }

                numbers[i] = TryParseNumber(value) is { } number
                    ? (float)number
                    : throw new InputDataException(
                        $"{source}: numeric column '{table.Header[numeric[i]]}' has value '{value}' on line {table.LineNumbers[r]}");
            }

            rows[r] = new FeatureRow
            {
                Numeric = numbers,
                OneHot = Tokens(table, cells, oneHot),
                Hashed = Tokens(table, cells, hashed),
                Label = labels[r],
                Weight = 1f,
            };
        }

        return rows;
    }

    private static int[] Resolve(CsvTable table, IReadOnlyList<FeatureColumn> columns, string source)
    {
        var indexes = new int[columns.Count];
        for (var i = 0; i < indexes.Length; i++)
        {
            indexes[i] = table.IndexOf(columns[i].Name);
            if (indexes[i] < 0)
            {
                throw new InputDataException($"{source}: the model needs column '{columns[i].Name}', which the file lacks");
            }
        }

        return indexes;
    }

    // Prefixing each value with its column keeps equal codes in different columns apart, so a single bag
    // encoding over all categorical columns is exactly their concatenated one-hot vectors; a missing value is a
    // category of its own because missingness is often informative in credit data.
    private static string[] Tokens(CsvTable table, string[] cells, int[] indexes)
    {
        var tokens = new string[indexes.Length];
        for (var i = 0; i < indexes.Length; i++)
        {
            var value = cells[indexes[i]];
            tokens[i] = $"{table.Header[indexes[i]]}={(IsMissing(value) ? "(missing)" : value)}";
        }

        return tokens;
    }
}
