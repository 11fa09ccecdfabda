using Microsoft.Extensions.Options;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Components.Shared;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Runs;

/// <summary>
/// Refuses a run whose epochs, parameters, memory or disk (estimated by <see cref="RunFootprint"/>) exceed the host's
/// Training limits, naming the options that make it too large (or the dataset, when the defaults already do).
/// </summary>
public sealed class RunLimits(IOptions<TrainingHostOptions> hostOptions)
{
    public Dictionary<string, string[]> Check(RunShape shape, Method method, TrainingOptions options)
    {
        var limits = hostOptions.Value;
        var errors = new Dictionary<string, string[]>();
        foreach (var option in new[] { Option(nameof(options.Stage1Epochs)), Option(nameof(options.Stage2Epochs)) })
            if (option.Get(options) is var epochs && epochs > limits.MaxEpochs)
                errors[RunCreator.OptionKey(option)] = [$"At most {Format.Count(limits.MaxEpochs)} epochs per stage are allowed on this server (Training:MaxEpochs); got {Format.Count((long)epochs)}."];

        var footprint = RunFootprint.Estimate(shape, method, options);
        TrainingOption[] sizes = [Option(nameof(options.HiddenDim)), Option(nameof(options.CommonDim))];
        if (footprint.Parameters > limits.MaxParameters)
            Add(errors, Culprits(options, sizes), $"This run would train {Format.Count(footprint.Parameters)} parameters at once; "
                + $"the limit is {Format.Count(limits.MaxParameters)} (Training:MaxParameters).");
        if (footprint.MemoryBytes > limits.MaxMemoryBytes)
            Add(errors, Culprits(options, [.. sizes, Option(nameof(options.BatchSize))]), $"This run would need about {Format.Bytes(footprint.MemoryBytes)} of memory; "
                + $"the limit is {Format.Bytes(limits.MaxMemoryBytes)} (Training:MaxMemoryBytes).");
        if (footprint.DiskBytes > limits.MaxRunDiskBytes)
            Add(errors, Culprits(options, sizes), $"This run would write about {Format.Bytes(footprint.DiskBytes)} to disk; "
                + $"the limit is {Format.Bytes(limits.MaxRunDiskBytes)} (Training:MaxRunDiskBytes).");
        return errors;
    }

    /// <summary>The size options set above their defaults; none means the dataset alone is too large for the limit.</summary>
    private static List<string> Culprits(TrainingOptions options, IEnumerable<TrainingOption> sizes)
    {
        var raised = sizes.Where(o => o.Get(options) > o.Default).Select(RunCreator.OptionKey).ToList();
        return raised.Count > 0 ? raised : ["datasetId"];
    }

    private static TrainingOption Option(string property) => TrainingOptionCatalog.Find(property);

    private static void Add(Dictionary<string, string[]> errors, List<string> keys, string message)
    {
        string hint = keys is ["datasetId"] ? " The dataset is too large for this server's limits." : $" Lower {string.Join(" or ", keys)}.";
        foreach (var key in keys)
            errors[key] = errors.TryGetValue(key, out var existing) ? [.. existing, message + hint] : [message + hint];
    }
}
