using System.Text;

namespace CreditGrid.Models.Training.Data;

/// <summary>A comma-separated file held in memory: the header and every data row with its line number.</summary>
/// <param name="Header">Column names from the first line.</param>
/// <param name="Rows">Data rows, each with exactly <c>Header.Count</c> fields.</param>
/// <param name="LineNumbers">1-based line in the file of each data row (the header is line 1), for error messages.</param>
public sealed record CsvTable(IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows, IReadOnlyList<int> LineNumbers)
{
    /// <summary>Position of <paramref name="name"/> in the header, or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Header.Count; i++)
        {
            if (string.Equals(Header[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Reads <paramref name="path"/>, rejecting empty files, duplicate column names and ragged rows.</summary>
    /// <exception cref="InputDataException">The file is missing, empty or malformed.</exception>
    public static CsvTable Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputDataException($"data file '{path}' was not found");
        }

        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader, Path.GetFileName(path));
    }

    /// <summary>Parses CSV text; <paramref name="source"/> names the input in error messages.</summary>
    public static CsvTable Parse(TextReader reader, string source)
    {
        string[]? header = null;
        var rows = new List<string[]>();
        var lineNumbers = new List<int>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;

            // Blank lines carry no record; editors often leave one at the end of a file.
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = SplitLine(line, lineNumber, source);
            if (header is null)
            {
                header = fields;
                CheckHeader(header, lineNumber, source);
                continue;
            }

            if (fields.Length != header.Length)
            {
                throw new InputDataException(
                    $"{source}: line {lineNumber} has {fields.Length} fields but the header has {header.Length}");
            }

            rows.Add(fields);
            lineNumbers.Add(lineNumber);
        }

        if (header is null)
        {
            throw new InputDataException($"{source}: the file is empty");
        }

        if (rows.Count == 0)
        {
            throw new InputDataException($"{source}: the file has a header but no data rows");
        }

        return new CsvTable(header, rows, lineNumbers);
    }

    private static void CheckHeader(string[] header, int lineNumber, string source)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in header)
        {
            if (name.Length == 0)
            {
                throw new InputDataException($"{source}: the header on line {lineNumber} has an empty column name");
            }

            if (!seen.Add(name))
            {
                throw new InputDataException($"{source}: column '{name}' appears twice in the header");
            }
        }
    }

    // Quoted fields may contain commas and doubled quotes; records spanning several lines are not supported
    // because credit extracts never contain them and line numbers stay exact.
    private static string[] SplitLine(string line, int lineNumber, string source)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var wasQuoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (inQuotes)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    inQuotes = false;
                }
            }
            else if (c == '"')
            {
                inQuotes = true;
                wasQuoted = true;
            }
            else if (c == ',')
            {
                fields.Add(wasQuoted ? field.ToString() : field.ToString().Trim());
                field.Clear();
                wasQuoted = false;
            }
            else
            {
                field.Append(c);
            }
        }

        if (inQuotes)
        {
            throw new InputDataException($"{source}: line {lineNumber} has an unterminated quoted field");
        }

        fields.Add(wasQuoted ? field.ToString() : field.ToString().Trim());
        return [.. fields];
    }
}
