using System.IO.Compression;
using System.Text.Json;
using CreditGrid.Models.Training.Data;
using Microsoft.ML;

namespace CreditGrid.Models.Training.Training;

/// <summary>
/// Saves and loads a model together with its <see cref="FeatureLayout"/>. The layout is stored as an extra entry
/// in the ML.NET zip, which ML.NET ignores, so a model file alone is enough to score a new CSV.
/// </summary>
public static class ModelFile
{
    private const string LayoutEntry = "CreditGrid/layout.json";
    private const string DistributionEntry = "CreditGrid/distribution.json";

    /// <summary>Writes the model and its layout to <paramref name="path"/>.</summary>
    public static void Save(MLContext ml, ITransformer model, IDataView trainingData, FeatureLayout layout, string path, FeatureDistribution? distribution = null)
    {
        ml.Model.Save(model, trainingData.Schema, path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        using (var stream = zip.CreateEntry(LayoutEntry).Open())
        {
            JsonSerializer.Serialize(stream, layout, Cards.ModelCard.JsonOptions);
        }

        if (distribution is not null)
        {
            using var stream = zip.CreateEntry(DistributionEntry).Open();
            JsonSerializer.Serialize(stream, distribution, Cards.ModelCard.JsonOptions);
        }
    }

    /// <summary>The training distribution saved with the model, or null for a model saved without one.</summary>
    public static FeatureDistribution? LoadDistribution(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        if (zip.GetEntry(DistributionEntry) is not { } entry)
        {
            return null;
        }

        using var stream = entry.Open();
        return JsonSerializer.Deserialize<FeatureDistribution>(stream, Cards.ModelCard.JsonOptions);
    }

    /// <summary>Loads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="InputDataException">The file is missing or was not written by this tool.</exception>
    public static (ITransformer Model, FeatureLayout Layout) Load(MLContext ml, string path)
    {
        if (!File.Exists(path))
        {
            throw new InputDataException($"model file '{path}' was not found");
        }

        FeatureLayout? layout;
        try
        {
            using (var zip = ZipFile.OpenRead(path))
            {
                var entry = zip.GetEntry(LayoutEntry)
                    ?? throw new InputDataException($"model file '{path}' has no feature layout; it was not written by creditgrid-models train");
                using var stream = entry.Open();
                layout = JsonSerializer.Deserialize<FeatureLayout>(stream, Cards.ModelCard.JsonOptions);
            }

            var model = ml.Model.Load(path, out _);
            return (model, layout ?? throw new InputDataException($"model file '{path}' has an empty feature layout"));
        }
        catch (InvalidDataException ex)
        {
            throw new InputDataException($"model file '{path}' is not a readable model: {ex.Message}");
        }
    }
}
