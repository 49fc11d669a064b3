console.log("hasync");
