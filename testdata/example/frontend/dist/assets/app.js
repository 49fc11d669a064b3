document.getElementById('app').textContent = 'graft example frontend';
