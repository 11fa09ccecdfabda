# syntax=docker/dockerfile:1
# SemiCmr web app. CPU build by default:
#   docker build -t semicmr .
#   docker run -p 8080:8080 -v semicmr-data:/app/data semicmr
# CUDA build (TorchSharp-cuda-linux, which bundles the CUDA and cuDNN libraries it needs):
#   docker build --build-arg TORCH_BACKEND=cuda -t semicmr:cuda .
#   docker run --gpus all -p 8080:8080 -v semicmr-data:/app/data semicmr:cuda
# The CUDA image still needs the host's NVIDIA driver, which the NVIDIA Container Toolkit mounts into
# the container at run time (`--gpus all`); without it `Training:Device=auto` falls back to the CPU.

ARG TORCH_BACKEND=cpu

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TORCH_BACKEND
WORKDIR /src

# Restore first, from the files that decide the packages, so code edits reuse the restore layer.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/SemiCmr.Ml/SemiCmr.Ml.csproj src/SemiCmr.Ml/
COPY src/SemiCmr.Web/SemiCmr.Web.csproj src/SemiCmr.Web/
# linux-x64 only: without a runtime identifier every platform's libtorch (~600 MB more) would be copied.
RUN dotnet restore src/SemiCmr.Web/SemiCmr.Web.csproj -r linux-x64 -p:TorchBackend=${TORCH_BACKEND}

COPY . .
# Publish also runs build/GlibcxxCompat.targets on the output; it only patches when the image's
# libstdc++ lacks GLIBCXX_3.4.32 (e.g. a Debian 12 base), otherwise it leaves the library as it is.
RUN dotnet publish src/SemiCmr.Web -c Release -r linux-x64 --self-contained false -p:TorchBackend=${TORCH_BACKEND} --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The official images define the unprivileged user's id as APP_UID; it must own the data volume.
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
ENV Data__Directory=/app/data \
    ASPNETCORE_URLS=http://+:8080
VOLUME /app/data
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "SemiCmr.Web.dll"]
