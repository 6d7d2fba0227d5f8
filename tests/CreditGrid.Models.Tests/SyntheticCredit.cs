using System.Globalization;
using System.Text;

namespace CreditGrid.Models.Tests;

/// <summary>Writes small CSV files with a known, learnable signal into a private temporary folder.</summary>
internal sealed class SyntheticCredit : IDisposable
{
    public SyntheticCredit()
    {
        Directory = Path.Combine(Path.GetTempPath(), "creditgrid-models-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string Write(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>
    /// Rows whose default risk rises with leverage and with sector "C", falls with cover, and where a missing
    /// cover value itself signals risk, so a model that handles NaN and categories should rank well.
    /// </summary>
    public string WriteLearnable(string name, int rows, int seed)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("Id,Leverage,Cover,Sector,Bad\n");
        for (var i = 0; i < rows; i++)
        {
            var leverage = Gaussian(random);
            var coverMissing = random.NextDouble() < 0.15;
            var cover = Gaussian(random);
            var sector = "ABC"[random.Next(3)];
            var logit = -1.0 + (1.8 * leverage) - (coverMissing ? -1.0 : 1.2 * cover) + (sector == 'C' ? 1.5 : 0);
            var bad = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
            csv.Append(CultureInfo.InvariantCulture, $"E{i:D4},{leverage:F4},{(coverMissing ? (i % 2 == 0 ? "" : "NA") : cover.ToString("F4", CultureInfo.InvariantCulture))},{sector},{(bad ? 1 : 0)}\n");
        }

        return Write(name, csv.ToString());
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A lingering file handle only leaves litter in the temporary folder; it must not fail a test.
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
