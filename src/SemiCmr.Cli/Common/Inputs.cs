using SemiCmr.Ml.Budget;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Runtime;
using SemiCmr.Ml.Training;
using TorchSharp;

namespace SemiCmr.Cli.Common;

/// <summary>Turns command-line input into Ml inputs, reporting what the user can fix as <see cref="UserInputException"/>.</summary>
public static class Inputs
{
    /// <summary>Largest query image the CLI reads (the server has its own, usually lower, limit).</summary>
    public const long MaxQueryFileBytes = 64L * 1024 * 1024;

    /// <summary>A query file's bytes, or a clear error naming the option when it is missing, a folder or too large.</summary>
    public static byte[] ReadFile(string path, string option)
    {
        var file = new FileInfo(path);
        if (!file.Exists) throw new UserInputException($"{option}: the file '{path}' does not exist.");
        if (file.Length > MaxQueryFileBytes)
            throw new UserInputException($"{option}: '{path}' is {file.Length / 1024 / 1024} MB; a query image must be at most {MaxQueryFileBytes / 1024 / 1024} MB.");
        return File.ReadAllBytes(path);
    }

    public static FeatureDataset ReadDataset(string folder)
    {
        if (!Directory.Exists(folder))
            throw new UserInputException($"Dataset folder not found: {Path.GetFullPath(folder)}");
        try
        {
            return FeatureDatasetReader.Read(folder);
        }
        catch (DatasetValidationException e)
        {
            throw new UserInputException($"The dataset in {folder} was refused ({e.Problems.Count} problem(s)):",
                e.Problems.Select(p => p.ToString()).ToList());
        }
        catch (IOException e)
        {
            throw new UserInputException($"The dataset in {folder} could not be read: {e.Message}");
        }
    }

    /// <summary>Resolves the device and applies --threads once per process.</summary>
    public static torch.Device ResolveDevice(DeviceSettings settings)
    {
        try
        {
            var device = TorchRuntime.ResolveDevice(settings.DeviceRequest);
            TorchRuntime.SetThreads(settings.Threads);
            return device;
        }
        catch (InvalidOperationException e)
        {
            throw new UserInputException(e.Message);
        }
    }

    /// <summary>
    /// The labeled training rows. full and cca always see every labeled training pair, whatever the budget.
    /// </summary>
    public static IReadOnlyList<int> LabeledRows(FeatureDataset dataset, Method method, double? ratio, int? count, int seed)
    {
        try
        {
            if (method is Method.Full or Method.Cca) return LabelBudget.ByRatio(dataset, 1.0, seed);
            return count is { } n ? LabelBudget.ByCount(dataset, n, seed) : LabelBudget.ByRatio(dataset, ratio ?? 1.0, seed);
        }
        catch (ArgumentException e)
        {
            throw new UserInputException("Invalid label budget: " + e.Message);
        }
    }
}
