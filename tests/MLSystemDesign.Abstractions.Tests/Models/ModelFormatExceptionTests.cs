using MLSystemDesign.Models;

namespace MLSystemDesign.Abstractions.Tests.Models;

public sealed class ModelFormatExceptionTests
{
    [Fact]
    public void Constructor_WithSource_NamesTheFileFirst()
    {
        var ex = new ModelFormatException("mlsd", "the checksum does not match.", source: "/models/m.mlsd");

        Assert.Equal("/models/m.mlsd (mlsd): the checksum does not match.", ex.Message);
        Assert.Equal("/models/m.mlsd", ex.Source);
        Assert.Equal("mlsd", ex.FormatId);
    }

    [Fact]
    public void WithSource_NamesTheFile_AndKeepsTheOriginalInside()
    {
        var inner = new FormatException("bad byte");
        var original = new ModelFormatException("onnx", "the file is not a readable ONNX model.", inner);

        var named = original.WithSource("graph.onnx");

        Assert.Null(original.Source);
        Assert.Equal("onnx: the file is not a readable ONNX model.", original.Message);
        Assert.Equal("graph.onnx (onnx): the file is not a readable ONNX model.", named.Message);
        Assert.Equal("onnx", named.FormatId);
        Assert.Same(original, named.InnerException);
        Assert.Same(named, named.WithSource("graph.onnx"));
    }

    [Fact]
    public void SourceOf_NamesAFileStream_AndNothingElse()
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var file = File.OpenRead(path))
            {
                Assert.Equal(Path.GetFullPath(path), ModelFormatException.SourceOf(file));
            }

            Assert.Null(ModelFormatException.SourceOf(new MemoryStream()));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
