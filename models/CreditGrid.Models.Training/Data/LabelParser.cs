namespace CreditGrid.Models.Training.Data;

/// <summary>Reads a binary label column written as 0/1, true/false or yes/no (any case).</summary>
public static class LabelParser
{
    /// <summary>Parses one label value; <c>null</c> when the value is not a recognised binary token.</summary>
    public static bool? TryParse(string value)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "1" or "1.0" or "true" or "yes" or "y" or "t":
                return true;
            case "0" or "0.0" or "false" or "no" or "n" or "f":
                return false;
            default:
                return null;
        }
    }

    /// <summary>Parses the whole label column and insists that both classes occur.</summary>
    /// <exception cref="InputDataException">The column is absent, holds a non-binary value or only one class.</exception>
    public static bool[] ParseColumn(CsvTable table, string labelColumn, string source)
    {
        var index = table.IndexOf(labelColumn);
        if (index < 0)
        {
            throw new InputDataException(
                $"{source}: no label column '{labelColumn}'; columns are {string.Join(", ", table.Header.Take(12))}{(table.Header.Count > 12 ? ", …" : string.Empty)}");
        }

        var labels = new bool[table.Rows.Count];
        for (var r = 0; r < labels.Length; r++)
        {
            var raw = table.Rows[r][index];
            labels[r] = TryParse(raw) ?? throw new InputDataException(
                $"{source}: label column '{labelColumn}' has value '{raw}' on line {table.LineNumbers[r]}; expected 0/1, true/false or yes/no");
        }

        var positives = labels.Count(l => l);
        if (positives == 0 || positives == labels.Length)
        {
            throw new InputDataException(
                $"{source}: label column '{labelColumn}' has a single class (every row is {(positives == 0 ? "0" : "1")}); a binary model needs both classes");
        }

        return labels;
    }
}
