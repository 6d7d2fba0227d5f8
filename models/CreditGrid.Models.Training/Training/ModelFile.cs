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
    private const string EngineeringEntry = "CreditGrid/engineering.json";

    /// <summary>
    /// Writes the model and its layout to <paramref name="path"/>. The first member is the ML.NET model of the zip
    /// itself; further members and the derived-feature recipe travel as extra entries.
    /// </summary>
    public static void Save(MLContext ml, TrainedModel model, string path, FeatureDistribution? distribution = null)
    {
        var schema = ModelPipeline.Load(ml, model.MemberLayout, []).Schema;
        ml.Model.Save(model.Members[0], schema, path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        using (var stream = zip.CreateEntry(LayoutEntry).Open())
        {
            JsonSerializer.Serialize(stream, model.Layout, Cards.ModelCard.JsonOptions);
        }

        if (!model.Engineering.IsEmpty)
        {
            using var stream = zip.CreateEntry(EngineeringEntry).Open();
            JsonSerializer.Serialize(stream, model.Engineering, Cards.ModelCard.JsonOptions);
        }

        for (var k = 1; k < model.Members.Count; k++)
        {
            using var member = new MemoryStream();
            ml.Model.Save(model.Members[k], schema, member);
            using var stream = zip.CreateEntry(MemberEntry(k), CompressionLevel.NoCompression).Open();
            member.Position = 0;
            member.CopyTo(stream);
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
    public static TrainedModel Load(MLContext ml, string path)
    {
        if (!File.Exists(path))
        {
            throw new InputDataException($"model file '{path}' was not found");
        }

        try
        {
            FeatureLayout? layout;
            var engineering = new FeatureEngineering(false, []);
            var members = new List<ITransformer>();
            using (var zip = ZipFile.OpenRead(path))
            {
                var entry = zip.GetEntry(LayoutEntry)
                    ?? throw new InputDataException($"model file '{path}' has no feature layout; it was not written by creditgrid-models train");
                using (var stream = entry.Open())
                {
                    layout = JsonSerializer.Deserialize<FeatureLayout>(stream, Cards.ModelCard.JsonOptions);
                }

                if (zip.GetEntry(EngineeringEntry) is { } recipe)
                {
                    using var stream = recipe.Open();
                    engineering = JsonSerializer.Deserialize<FeatureEngineering>(stream, Cards.ModelCard.JsonOptions) ?? engineering;
                }

                members.Add(ml.Model.Load(path, out _));
                for (var k = 1; zip.GetEntry(MemberEntry(k)) is { } member; k++)
                {
                    using var copy = new MemoryStream();
                    using (var stream = member.Open())
                    {
                        stream.CopyTo(copy);
                    }

                    copy.Position = 0;
                    members.Add(ml.Model.Load(copy, out _));
                }
            }

            return new TrainedModel(
                layout ?? throw new InputDataException($"model file '{path}' has an empty feature layout"), engineering, members);
        }
        catch (InvalidDataException ex)
        {
            throw new InputDataException($"model file '{path}' is not a readable model: {ex.Message}");
        }
    }

    private static string MemberEntry(int k) => FormattableString.Invariant($"CreditGrid/member-{k}.zip");
}
