// Makes TorchSharp's native library load on systems whose libstdc++ predates GCC 13 (Debian 12).
// libLibTorchSharp.so asks for GLIBCXX_3.4.32 only for std::ios_base_library_init(), a link-time
// anchor with no relocation, so marking that one version requirement weak is safe: the dynamic
// loader then accepts a libstdc++ without it. We patch the copy in the build/publish output,
// never the NuGet cache, and only when the system libstdc++ lacks the version.
// This file is compiled twice: by MSBuild as an inline task (build/GlibcxxCompat.targets) and
// into tests/SemiCmr.Ml.Tests with SEMICMR_ELF_ONLY defined, which tests the ELF logic.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace SemiCmr.Build
{
    public enum WeakenResult { Patched, AlreadyWeak, NotRequired }

    /// <summary>Reads and edits the GNU symbol-version sections of a 64-bit little-endian ELF file.</summary>
    public static class ElfVersions
    {
        public const ushort VerFlagWeak = 0x2;
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>Versions the library defines (.gnu.version_d), e.g. GLIBCXX_3.4.30.</summary>
        public static HashSet<string> DefinedVersions(byte[] elf)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var section in Sections(elf, ShtGnuVerdef))
            {
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    long aux = entry + ReadU32(elf, entry + 12);
                    names.Add(ReadString(elf, section.StringsOffset + ReadU32(elf, aux)));
                    uint next = ReadU32(elf, entry + 16);
                    if (next == 0) break;
                    entry += next;
                }
            }
            return names;
        }

        /// <summary>Version requirements (.gnu.version_r) as (file, version, flags, offset of vna_flags).</summary>
        public static List<(string File, string Version, ushort Flags, long FlagsOffset)> RequiredVersions(byte[] elf)
        {
            var result = new List<(string, string, ushort, long)>();
            foreach (var section in Sections(elf, ShtGnuVerneed))
            {
                long need = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    string file = ReadString(elf, section.StringsOffset + ReadU32(elf, need + 4));
                    ushort count = ReadU16(elf, need + 2);
                    long aux = need + ReadU32(elf, need + 8);
                    for (int j = 0; j < count; j++)
                    {
                        string version = ReadString(elf, section.StringsOffset + ReadU32(elf, aux + 8));
                        result.Add((file, version, ReadU16(elf, aux + 4), aux + 4));
                        uint nextAux = ReadU32(elf, aux + 12);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }
                    uint next = ReadU32(elf, need + 12);
                    if (next == 0) break;
                    need += next;
                }
            }
            return result;
        }

        /// <summary>Marks the requirement on <paramref name="version"/> weak, in place in the buffer.</summary>
        public static WeakenResult MarkWeak(byte[] elf, string version)
        {
            bool found = false, changed = false;
            foreach (var need in RequiredVersions(elf))
            {
                if (need.Version != version) continue;
                found = true;
                if ((need.Flags & VerFlagWeak) != 0) continue;
                ushort flags = (ushort)(need.Flags | VerFlagWeak);
                elf[need.FlagsOffset] = (byte)flags;
                elf[need.FlagsOffset + 1] = (byte)(flags >> 8);
                changed = true;
            }
            if (!found) return WeakenResult.NotRequired;
            return changed ? WeakenResult.Patched : WeakenResult.AlreadyWeak;
        }

        /// <summary>
        /// Patches the file through a temporary copy and an atomic rename (a running process keeps the
        /// old inode), preserving the modification time so that MSBuild's incremental copy keeps it.
        /// </summary>
        public static WeakenResult MarkWeakInFile(string path, string version)
        {
            byte[] elf = File.ReadAllBytes(path);
            var result = MarkWeak(elf, version);
            if (result != WeakenResult.Patched) return result;
            DateTime written = File.GetLastWriteTimeUtc(path);
            string temporary = path + ".weakening";
            File.WriteAllBytes(temporary, elf);
            File.SetLastWriteTimeUtc(temporary, written);
            File.Replace(temporary, path, null);
            return result;
        }

        /// <summary>True when the system's libstdc++ defines the version (then nothing needs patching).</summary>
        public static bool SystemLibStdCxxDefines(string version, IEnumerable<string> candidates)
        {
            foreach (string path in candidates)
            {
                if (File.Exists(path)) return DefinedVersions(File.ReadAllBytes(path)).Contains(version);
            }
            return false;
        }

        public static readonly string[] LibStdCxxLocations =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib/libstdc++.so.6",
        };

        private readonly struct Section
        {
            public Section(long offset, uint info, long stringsOffset)
            {
                Offset = offset; Info = info; StringsOffset = stringsOffset;
            }
            public long Offset { get; }
            public uint Info { get; }
            public long StringsOffset { get; }
        }

        private static IEnumerable<Section> Sections(byte[] elf, uint type)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException("only 64-bit little-endian ELF files are supported");
            long headers = (long)ReadU64(elf, 0x28);
            int size = ReadU16(elf, 0x3A), count = ReadU16(elf, 0x3C);
            for (int i = 0; i < count; i++)
            {
                long header = headers + (long)i * size;
                if (ReadU32(elf, header + 4) != type) continue;
                long link = headers + (long)ReadU32(elf, header + 40) * size;
                yield return new Section((long)ReadU64(elf, header + 24), ReadU32(elf, header + 44), (long)ReadU64(elf, link + 24));
            }
        }

        private static ushort ReadU16(byte[] b, long at) => (ushort)(b[at] | b[at + 1] << 8);
        private static uint ReadU32(byte[] b, long at) => (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);
        private static ulong ReadU64(byte[] b, long at) => ReadU32(b, at) | (ulong)ReadU32(b, at + 4) << 32;

        private static string ReadString(byte[] b, long at)
        {
            long end = at;
            while (b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
        }
    }

#if !SEMICMR_ELF_ONLY
    /// <summary>MSBuild task: weakens GLIBCXX_3.4.32 in every libLibTorchSharp.so below a folder.</summary>
    public sealed class WeakenTorchSharpGlibcxx : Microsoft.Build.Utilities.Task
    {
        private const string Version = "GLIBCXX_3.4.32";

        [Microsoft.Build.Framework.Required]
        public string Directory { get; set; } = "";

        public override bool Execute()
        {
            if (!System.IO.Directory.Exists(Directory)) return true;
            string[] libraries = System.IO.Directory.GetFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories);
            if (libraries.Length == 0) return true;
            if (ElfVersions.SystemLibStdCxxDefines(Version, ElfVersions.LibStdCxxLocations))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "System libstdc++ has " + Version + "; TorchSharp needs no patch.");
                return true;
            }
            foreach (string library in libraries)
            {
                var result = ElfVersions.MarkWeakInFile(library, Version);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, "TorchSharp on an older libstdc++: " + library + ": " + result);
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
