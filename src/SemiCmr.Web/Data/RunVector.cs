using Pgvector;

namespace SemiCmr.Web.Data;

/// <summary>
/// One embedding of a succeeded run in PostgreSQL (pgvector): its side (<see cref="Ml.Search.Pgvector.VectorTable.Images"/>
/// or Texts), the item's row and the vector, of the run's common-space size. Only PostgresSemiCmrDb maps it (SQLite keeps
/// vectors in the run folder's .npy files); rows are written by RunVectorWriter's COPY and go with their run by cascade.
/// </summary>
public sealed class RunVector
{
    public int RunId { get; set; }
    public short Side { get; set; }
    public int Row { get; set; }
    public Vector Embedding { get; set; } = null!;
}
