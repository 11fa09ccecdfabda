using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SemiCmr.Web.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the app.</summary>
public sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<SemiCmrDb>
{
    public SemiCmrDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SemiCmrDb>().UseSqlite("Data Source=design-time.db").Options);
}
