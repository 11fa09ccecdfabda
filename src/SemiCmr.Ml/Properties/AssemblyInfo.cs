using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("SemiCmr.Ml.Tests")]
