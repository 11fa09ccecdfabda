using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;

namespace SemiCmr.Ml.Tests.Torch;

// The CLI references the web app, whose Scalar.AspNetCore package brings a root namespace named Scalar.
using Scalar = TorchSharp.Scalar;

/// <summary>
/// The TorchSharp members that create a Scalar inside TorchSharp, read from TorchSharp's own IL so that
/// an upgrade is checked too: a member is hazardous when its body converts a number to a Scalar
/// (Scalar's implicit operators, ToScalar()) or calls a TorchSharp member that is hazardous. Such a
/// Scalar is handed to libtorch by its raw handle with nothing keeping it alive, e.g.
/// Tensor.add(Tensor) is add(target, 1) and Tensor.square() is pow(2).
/// </summary>
internal static class ScalarHazards
{
    private static readonly Assembly TorchSharpAssembly = typeof(Scalar).Assembly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private static readonly Lazy<IReadOnlySet<int>> HazardTokens = new(Derive);

    /// <summary>Metadata tokens (in TorchSharp.dll) of the hazardous members.</summary>
    public static IReadOnlySet<int> Tokens => HazardTokens.Value;

    /// <summary>Creates a Scalar for its caller, who must own it (Scalar's conversions, ToScalar()).</summary>
    public static bool IsCreator(MethodBase method) =>
        method.DeclaringType == typeof(Scalar) && method.Name is "op_Implicit" or "op_Explicit"
        || method.DeclaringType == typeof(ScalarExtensionMethods)
        || method.Name == "ToScalar" && method.DeclaringType?.Assembly == TorchSharpAssembly;

    /// <summary>Readable names of the hazardous public members of a TorchSharp type, for reports.</summary>
    public static IEnumerable<string> Describe(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => Tokens.Contains(m.MetadataToken))
            .Select(m => $"{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})")
            .Order();

    private static IReadOnlySet<int> Derive()
    {
        var methods = TorchSharpAssembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Cast<MethodBase>()
                .Concat(t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)))
            .ToList();
        var callees = methods.ToDictionary(m => m.MetadataToken, Callees);
        var hazards = new HashSet<int>(methods.Where(m => !IsCreator(m) && callees[m.MetadataToken].Any(IsCreator)).Select(m => m.MetadataToken));
        // Whoever calls a hazardous member is hazardous too; repeat until nothing changes.
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var method in methods)
            {
                if (hazards.Contains(method.MetadataToken) || IsCreator(method)) continue;
                if (!callees[method.MetadataToken].Any(c => c.Module.Assembly == TorchSharpAssembly && hazards.Contains(c.MetadataToken))) continue;
                hazards.Add(method.MetadataToken);
                grew = true;
            }
        }
        return hazards;
    }

    private static List<MethodBase> Callees(MethodBase method)
    {
        var found = new List<MethodBase>();
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException) { il = null; }
        if (il is null) return found;
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            short value = il[i++];
            if (value == 0xFE) value = (short)(0xFE00 | il[i++]);
            var op = OpCodesByValue[value];
            if (op.OperandType == OperandType.InlineMethod)
            {
                try { if (method.Module.ResolveMethod(BitConverter.ToInt32(il, i), typeArguments, methodArguments) is { } callee) found.Add(callee); }
                catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or FileNotFoundException) { }
            }
            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
        }
        return found;
    }
}
