using CreditGrid.Models.Training.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;

namespace CreditGrid.Models.Training.Training;

/// <summary>Builds the ML.NET data views and estimator chain for a <see cref="FeatureLayout"/>.</summary>
public static class ModelPipeline
{
    private const string Features = "Features";

    // The annotation kind ML.NET reads slot names from; its own constant is not public.
    private const string SlotNamesKind = "SlotNames";

    /// <summary>Loads rows as a data view whose vector widths match the layout, with slot names on the numeric vector.</summary>
    public static IDataView Load(MLContext ml, FeatureLayout layout, IEnumerable<FeatureRow> rows) =>
        ml.Data.LoadFromEnumerable(rows, InputSchema(layout));

    /// <summary>The schema of <see cref="FeatureRow"/> with the layout's vector widths, also used by prediction engines.</summary>
    public static SchemaDefinition InputSchema(FeatureLayout layout)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        var numeric = layout.Numeric;
        if (numeric.Count > 0)
        {
            var type = new VectorDataViewType(NumberDataViewType.Single, numeric.Count);
            schema[nameof(FeatureRow.Numeric)].ColumnType = type;
            var names = new VBuffer<ReadOnlyMemory<char>>(numeric.Count, [.. numeric.Select(c => c.Name.AsMemory())]);
            schema[nameof(FeatureRow.Numeric)].AddAnnotation(
                SlotNamesKind, names, new VectorDataViewType(TextDataViewType.Instance, numeric.Count));
        }

        if (layout.OneHot.Count > 0)
        {
            schema[nameof(FeatureRow.OneHot)].ColumnType = new VectorDataViewType(TextDataViewType.Instance, layout.OneHot.Count);
        }

        if (layout.Hashed.Count > 0)
        {
            schema[nameof(FeatureRow.Hashed)].ColumnType = new VectorDataViewType(TextDataViewType.Instance, layout.Hashed.Count);
        }

        return schema;
    }

    /// <summary>Sets each row's weight so that both classes carry equal total weight when the settings ask for it.</summary>
    public static IReadOnlyList<FeatureRow> Weighted(IReadOnlyList<FeatureRow> rows, TrainerSettings settings)
    {
        var useWeights = settings.Imbalance == ImbalanceHandling.Weights
            || (settings.Imbalance == ImbalanceHandling.Unbalanced && settings.Learner == TreeLearner.FastTree);
        var positives = rows.Count(r => r.Label);
        var positiveWeight = useWeights ? (float)(rows.Count - positives) / positives : 1f;
        return [.. rows.Select(r => new FeatureRow
        {
            Numeric = r.Numeric,
            OneHot = r.OneHot,
            Hashed = r.Hashed,
            Label = r.Label,
            Weight = r.Label ? positiveWeight : 1f,
        })];
    }

    /// <summary>Featurisation (missing indicators, optional imputation, encodings) followed by the calibrated tree learner.</summary>
    public static IEstimator<ITransformer> Build(MLContext ml, FeatureLayout layout, TrainerSettings settings, int seed)
    {
        IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();
        var parts = new List<string>();
        if (layout.Numeric.Count > 0)
        {
            if (settings.MissingIndicators)
            {
                chain = chain
                    .Append(ml.Transforms.IndicateMissingValues("NumericMissingFlag", nameof(FeatureRow.Numeric)))
                    .Append(ml.Transforms.Conversion.ConvertType("NumericMissing", "NumericMissingFlag", DataKind.Single));
            }

            if (settings.KeepMissing)
            {
                parts.Add(nameof(FeatureRow.Numeric));
            }
            else
            {
                chain = chain.Append(ml.Transforms.ReplaceMissingValues(
                    "NumericImputed", nameof(FeatureRow.Numeric), MissingValueReplacingEstimator.ReplacementMode.Mean));
                parts.Add("NumericImputed");
            }

            if (settings.MissingIndicators)
            {
                parts.Add("NumericMissing");
            }
        }

        if (layout.OneHot.Count > 0)
        {
            chain = chain.Append(ml.Transforms.Categorical.OneHotEncoding(
                "OneHotBag", nameof(FeatureRow.OneHot), Microsoft.ML.Transforms.OneHotEncodingEstimator.OutputKind.Bag));
            parts.Add("OneHotBag");
        }

        if (layout.Hashed.Count > 0)
        {
            chain = chain.Append(ml.Transforms.Categorical.OneHotHashEncoding(
                "HashedBag", nameof(FeatureRow.Hashed), Microsoft.ML.Transforms.OneHotEncodingEstimator.OutputKind.Bag, numberOfBits: 12));
            parts.Add("HashedBag");
        }

        chain = chain.Append(ml.Transforms.Concatenate(Features, [.. parts]));
        return chain.Append(Learner(ml, settings, seed));
    }

    private static IEstimator<ITransformer> Learner(MLContext ml, TrainerSettings settings, int seed)
    {
        var weighted = settings.Imbalance == ImbalanceHandling.Weights
            || (settings.Imbalance == ImbalanceHandling.Unbalanced && settings.Learner == TreeLearner.FastTree);
        var weightColumn = weighted ? nameof(FeatureRow.Weight) : null;
        return settings.Learner switch
        {
            TreeLearner.LightGbm => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = nameof(FeatureRow.Label),
                FeatureColumnName = Features,
                ExampleWeightColumnName = weightColumn,
                NumberOfLeaves = settings.Leaves,
                MinimumExampleCountPerLeaf = settings.MinExamplesPerLeaf,
                LearningRate = settings.LearningRate,
                NumberOfIterations = settings.Trees,
                UnbalancedSets = settings.Imbalance == ImbalanceHandling.Unbalanced,
                HandleMissingValue = true,
                UseZeroAsMissingValue = false,
                Seed = seed,
                Silent = true,
                Verbose = false,
                Booster = Booster(settings),
            }),
            TreeLearner.FastTree => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                LabelColumnName = nameof(FeatureRow.Label),
                FeatureColumnName = Features,
                ExampleWeightColumnName = weightColumn,
                NumberOfLeaves = settings.Leaves,
                MinimumExampleCountPerLeaf = settings.MinExamplesPerLeaf,
                LearningRate = settings.LearningRate,
                NumberOfTrees = settings.Trees,
                FeatureFraction = settings.FeatureFraction,
                BaggingSize = settings.Subsample < 1 ? 1 : 0,
                BaggingExampleFraction = settings.Subsample,
                Seed = seed,
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Learner, "unknown learner"),
        };
    }

    private static BoosterParameterBase.OptionsBase Booster(TrainerSettings settings) => settings.Booster switch
    {
        BoosterKind.Dart => new DartBooster.Options
        {
            TreeDropFraction = settings.DropRate,
            FeatureFraction = settings.FeatureFraction,
            SubsampleFraction = settings.Subsample,
            SubsampleFrequency = settings.Subsample < 1 ? 1 : 0,
            L2Regularization = settings.L2,
        },
        _ => new GradientBooster.Options
        {
            FeatureFraction = settings.FeatureFraction,
            SubsampleFraction = settings.Subsample,
            SubsampleFrequency = settings.Subsample < 1 ? 1 : 0,
            L2Regularization = settings.L2,
        },
    };
}
