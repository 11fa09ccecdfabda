// Drag-and-drop or picked file, posted with XMLHttpRequest so the page can show upload progress
// (a Blazor Server circuit would otherwise push a large file through SignalR).
export function attach(zone, input, dotnet) {
    let file = null;
    const choose = files => {
        if (!files || files.length === 0) return;
        file = files[0];
        dotnet.invokeMethodAsync('FileChosen', file.name, file.size);
    };
    zone.addEventListener('dragover', e => { e.preventDefault(); zone.classList.add('dragging'); });
    zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
    zone.addEventListener('drop', e => { e.preventDefault(); zone.classList.remove('dragging'); choose(e.dataTransfer.files); });
    input.addEventListener('change', () => choose(input.files));

    return {
        pick() { input.click(); },
        clear() { file = null; input.value = ''; },
        upload(name, textEncoder) {
            return new Promise(resolve => {
                if (!file) { resolve({ status: 0, body: 'Choose a file first.' }); return; }
                const form = new FormData();
                form.append('name', name);
                if (textEncoder) form.append('textEncoder', textEncoder);
                form.append('file', file, file.name);
                const xhr = new XMLHttpRequest();
                let last = 0;
                xhr.upload.onprogress = e => {
                    const now = Date.now();
                    if (e.lengthComputable && (now - last > 200 || e.loaded === e.total)) {
                        last = now;
                        dotnet.invokeMethodAsync('UploadProgress', e.loaded, e.total);
                    }
                };
                xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
                xhr.onerror = () => resolve({ status: 0, body: 'The upload was interrupted (network error).' });
                xhr.open('POST', 'api/datasets');
                xhr.send(form);
            });
        },
    };
}
