using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp;

namespace SemiCmr.Ml.Tests.Torch;

/// <summary>One call that can hand libtorch a Scalar nobody keeps alive.</summary>
public sealed record ScalarOffence(string File, int Line, string Problem)
{
    public override string ToString() => $"{File}:{Line}: {Problem}";
}

/// <summary>What a scan found: the offences, and how many TorchSharp calls it resolved (a scan that resolves
/// none proves nothing).</summary>
public sealed record ScalarScan(IReadOnlyList<ScalarOffence> Offences, int TorchSharpCalls);

/// <summary>
/// Compiles C# sources against the test's own references and checks the rule of src/SemiCmr.Ml/TORCHSHARP.md
/// on every TorchSharp call, with full type information (a regex cannot tell <c>a + b</c> on tensors from
/// one on ints): no hazardous TorchSharp member (<see cref="ScalarHazards"/>), no implicit conversion of a
/// number to a Scalar, and every Scalar we create is owned by a <c>using</c> variable or a static readonly field.
/// </summary>
public static class ScalarLifetimeScanner
{
    // The SDKs' implicit global usings (ImplicitUsings=enable), which live in obj/ and are not scanned.
    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private const string WebGlobalUsings = """
        global using System.Net.Http.Json;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Hosting;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """;

    /// <summary>Scans every .cs file of a project folder (bin and obj excluded), as the project's own assembly.</summary>
    public static ScalarScan ScanProject(string projectFolder, string assemblyName, bool web = false)
    {
        var sources = Directory.EnumerateFiles(projectFolder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Select(path => (Path.GetRelativePath(TestPaths.RepoRoot, path), File.ReadAllText(path)));
        return Scan(sources, assemblyName, web);
    }

    /// <param name="sources">(path for reports, C# text) of one assembly.</param>
    /// <param name="assemblyName">The assembly they make: left out of the references so that its types come from the sources.</param>
    public static ScalarScan Scan(IEnumerable<(string Path, string Text)> sources, string assemblyName = "Scanned", bool web = false)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, s.Path)).ToList();
        var usings = CSharpSyntaxTree.ParseText(web ? GlobalUsings + WebGlobalUsings : GlobalUsings, parse, "GlobalUsings.g.cs");
        var compilation = CSharpCompilation.Create(assemblyName, [.. trees, usings], References(assemblyName, web),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        var offences = new List<ScalarOffence>();
        int torchCalls = 0;
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            // Walk whole operation trees from their roots (bodies, initializers): an argument's implicit
            // conversion is only visible there, not from its syntax node.
            foreach (var operation in Roots(model, tree.GetRoot()).SelectMany(root => root.DescendantsAndSelf()))
            {
                var called = CalledMethod(operation);
                if (called is not null && IsTorchSharp(called)) torchCalls++;
                var problem = Problem(operation, called);
                if (problem is not null)
                    offences.Add(new ScalarOffence(tree.FilePath, operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1, problem));
            }
        }
        return new ScalarScan(offences.DistinctBy(o => (o.File, o.Line, o.Problem)).ToList(), torchCalls);
    }

    private static string? Problem(IOperation operation, IMethodSymbol? called)
    {
        if (called is null || !IsTorchSharp(called)) return null;
        var definition = (called.ReducedFrom ?? called).OriginalDefinition;
        if (ScalarHazards.Tokens.Contains(definition.MetadataToken))
            return $"{Describe(definition)} creates a Scalar inside TorchSharp that nothing keeps alive; use an owned Scalar (src/SemiCmr.Ml/Torch/Scalars.cs)";
        bool createsScalar = definition.ContainingType.Name == nameof(ScalarExtensionMethods)
            || definition.Name == "ToScalar"
            || definition.ContainingType.Name == nameof(Scalar) && definition.MethodKind == MethodKind.Conversion;
        if (!createsScalar) return null;
        if (operation is IConversionOperation { IsImplicit: true } conversion)
            return ImplicitConversion(conversion.Operand.Type);
        if (operation is IArgumentOperation argument)
            return ImplicitConversion(argument.Value.Type);
        return IsOwned(operation) ? null : "a Scalar created here is not owned; declare it with `using` (or in a static readonly field) before passing it";
    }

    /// <summary>The outermost operations (member bodies, initializers); declarations above them have none.</summary>
    private static IEnumerable<IOperation> Roots(SemanticModel model, SyntaxNode node)
    {
        if (model.GetOperation(node) is { Parent: null } root)
        {
            yield return root;
            yield break;
        }
        foreach (var child in node.ChildNodes())
            foreach (var found in Roots(model, child))
                yield return found;
    }

    private static string ImplicitConversion(ITypeSymbol? from) =>
        $"implicit conversion of {from?.ToDisplayString() ?? "a value"} to Scalar makes a temporary; declare `using Scalar name = value.ToScalar();`";

    private static IMethodSymbol? CalledMethod(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => invocation.TargetMethod,
        IBinaryOperation binary => binary.OperatorMethod,
        IUnaryOperation unary => unary.OperatorMethod,
        ICompoundAssignmentOperation compound => compound.OperatorMethod,
        IConversionOperation conversion => conversion.OperatorMethod,
        IArgumentOperation argument => argument.InConversion.MethodSymbol,
        IObjectCreationOperation creation => creation.Constructor,
        IPropertyReferenceOperation property => property.Property.GetMethod,
        _ => null,
    };

    private static bool IsTorchSharp(IMethodSymbol method) => method.ContainingAssembly?.Name == "TorchSharp";

    /// <summary>The value initialises a `using` variable or a static readonly field, which keep it alive.</summary>
    private static bool IsOwned(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IParenthesizedOperation or IConversionOperation { Conversion.IsIdentity: true }) parent = parent.Parent;
        return parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Parent: IVariableDeclarationOperation { Parent: IVariableDeclarationGroupOperation group } } } =>
                group.Parent is IUsingDeclarationOperation or IUsingOperation,
            IFieldInitializerOperation field => field.InitializedFields.All(f => f.IsStatic && f.IsReadOnly),
            _ => false,
        };
    }

    private static string Describe(IMethodSymbol method) =>
        $"{method.ContainingType.Name}.{method.Name}({string.Join(", ", method.Parameters.Select(p => p.Type.Name))})";

    private static IEnumerable<MetadataReference> References(string assemblyName, bool web)
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => !string.Equals(Path.GetFileNameWithoutExtension(path), assemblyName, StringComparison.OrdinalIgnoreCase))
            // The API reference UI's package (here because the CLI references the web app for `semicmr worker`) has a root
            // namespace named Scalar, which would hide TorchSharp's Scalar type from the code being scanned.
            .Where(path => !Path.GetFileName(path).StartsWith("Scalar.AspNetCore", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (web)
        {
            // The web app's framework; the test process itself runs on Microsoft.NETCore.App only.
            var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var aspNet = Path.Combine(runtime, "..", "..", "Microsoft.AspNetCore.App", Path.GetFileName(runtime));
            if (Directory.Exists(aspNet)) paths.AddRange(Directory.EnumerateFiles(aspNet, "*.dll"));
        }
        return paths.DistinctBy(Path.GetFileName).Select(path => Loaded.GetOrAdd(path, p => MetadataReference.CreateFromFile(p)));
    }

    // Reading a reference costs more than compiling a snippet; every scan shares them.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, MetadataReference> Loaded = new();
}
