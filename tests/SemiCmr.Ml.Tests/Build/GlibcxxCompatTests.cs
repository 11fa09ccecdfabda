using System.Reflection;
using SemiCmr.Build;

namespace SemiCmr.Ml.Tests.Build;

/// <summary>The build step that lets TorchSharp load on Debian 12 (build/GlibcxxCompat.cs).</summary>
public sealed class GlibcxxCompatTests
{
    private const string Version = "GLIBCXX_3.4.32";

    [Fact]
    public void MarkingTheRequirementWeakChangesOnlyItsFlag()
    {
        var original = File.ReadAllBytes(OriginalLibrary());
        var patched = (byte[])original.Clone();

        Assert.Equal(WeakenResult.Patched, ElfVersions.MarkWeak(patched, Version));

        var before = ElfVersions.RequiredVersions(original);
        var after = ElfVersions.RequiredVersions(patched);
        Assert.Equal(before.Select(r => (r.File, r.Version)), after.Select(r => (r.File, r.Version)));
        var target = after.Single(r => r.Version == Version);
        Assert.Equal("libstdc++.so.6", target.File);
        Assert.NotEqual(0, target.Flags & ElfVersions.VerFlagWeak);
        Assert.All(after.Where(r => r.Version != Version), r => Assert.Equal(0, r.Flags & ElfVersions.VerFlagWeak));
        Assert.Equal(1, original.Zip(patched).Count(pair => pair.First != pair.Second));
    }

    [Fact]
    public void PatchingTwiceChangesNothingTheSecondTime()
    {
        var folder = TestPaths.NewTempFolder();
        var copy = Path.Combine(folder, "libLibTorchSharp.so");
        File.Copy(OriginalLibrary(), copy);

        Assert.Equal(WeakenResult.Patched, ElfVersions.MarkWeakInFile(copy, Version));
        var once = File.ReadAllBytes(copy);
        var written = File.GetLastWriteTimeUtc(copy);
        Assert.Equal(WeakenResult.AlreadyWeak, ElfVersions.MarkWeakInFile(copy, Version));
        Assert.Equal(once, File.ReadAllBytes(copy));
        Assert.Equal(File.GetLastWriteTimeUtc(OriginalLibrary()), written); // kept, so incremental builds don't re-copy
    }

    [Fact]
    public void AVersionTheLibraryDoesNotRequireIsLeftAlone()
    {
        var bytes = File.ReadAllBytes(OriginalLibrary());
        Assert.Equal(WeakenResult.NotRequired, ElfVersions.MarkWeak(bytes, "GLIBCXX_9.9.99"));
    }

    [Fact]
    public void TheBuildOutputIsPatchedExactlyWhenTheSystemLibStdCxxLacksTheVersion()
    {
        bool systemHasIt = ElfVersions.SystemLibStdCxxDefines(Version, ElfVersions.LibStdCxxLocations);
        var output = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).Single();
        var flags = ElfVersions.RequiredVersions(File.ReadAllBytes(output)).Single(r => r.Version == Version).Flags;

        Assert.Equal(!systemHasIt, (flags & ElfVersions.VerFlagWeak) != 0);
        Assert.False(ElfVersions.RequiredVersions(File.ReadAllBytes(OriginalLibrary())).Single(r => r.Version == Version).Flags != 0,
            "the NuGet cache copy must never be modified");
    }

    [Fact]
    public void TheSystemLibStdCxxVersionsAreRead()
    {
        var library = ElfVersions.LibStdCxxLocations.First(File.Exists);
        Assert.Contains("GLIBCXX_3.4", ElfVersions.DefinedVersions(File.ReadAllBytes(library)));
    }

    [Fact]
    public void AFileThatIsNotElfIsRefused() =>
        Assert.Throws<InvalidDataException>(() => ElfVersions.RequiredVersions(new byte[128]));

    private static string OriginalLibrary()
    {
        var root = typeof(GlibcxxCompatTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "NuGetPackageRoot").Value!;
        var torchSharp = Directory.GetDirectories(Path.Combine(root, "torchsharp")).Single();
        return Path.Combine(torchSharp, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }
}
